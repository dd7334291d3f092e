// SPDX-License-Identifier: Apache-2.0
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../../lab/outscale-sim/config.js';
import { VmFleet } from '../../../../lab/outscale-sim/fleet/vm-fleet.js';
import type { VmStateName } from '../../../../lab/outscale-sim/fleet/vm-states.js';

function fleetOf(vm: Record<string, unknown>): { fleet: VmFleet; reached: VmStateName[] } {
  const config = parseConfig({ timings: { stopMs: 3000, forceStopMs: 500, startMs: 2000 }, vms: [{ vmId: 'i-0000000a', ...vm }] });
  const reached: VmStateName[] = [];
  return { fleet: new VmFleet(config.vms, (v) => reached.push(v.state)), reached };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const stateAfter = (fleet: VmFleet, ms: number): VmStateName => {
  vi.advanceTimersByTime(ms);
  return fleet.get('i-0000000a')!.state;
};

describe('VM state machine', () => {
  it('a graceful stop stays stopping for stopMs, then is stopped', () => {
    const { fleet, reached } = fleetOf({ state: 'running' });
    expect(fleet.stop('i-0000000a', false)).toEqual({ VmId: 'i-0000000a', PreviousState: 'running', CurrentState: 'stopping' });
    expect(stateAfter(fleet, 2999)).toBe('stopping');
    expect(stateAfter(fleet, 1)).toBe('stopped');
    expect(reached).toEqual(['stopped']);
  });

  it('a forced stop takes forceStopMs', () => {
    const { fleet } = fleetOf({ state: 'running' });
    fleet.stop('i-0000000a', true);
    expect(stateAfter(fleet, 499)).toBe('stopping');
    expect(stateAfter(fleet, 1)).toBe('stopped');
  });

  it('a forced stop cuts short a graceful stop already under way', () => {
    const { fleet } = fleetOf({ state: 'running' });
    fleet.stop('i-0000000a', false);
    vi.advanceTimersByTime(1000);
    expect(fleet.stop('i-0000000a', true).CurrentState).toBe('stopping');
    expect(stateAfter(fleet, 500)).toBe('stopped');
  });

  it('per-VM timings override the defaults', () => {
    const { fleet } = fleetOf({ state: 'running', timings: { stopMs: 10 } });
    fleet.stop('i-0000000a', false);
    expect(stateAfter(fleet, 10)).toBe('stopped');
  });

  it('a start goes stopped -> pending -> running after startMs', () => {
    const { fleet, reached } = fleetOf({ state: 'stopped' });
    expect(fleet.start('i-0000000a').CurrentState).toBe('pending');
    expect(stateAfter(fleet, 1999)).toBe('pending');
    expect(stateAfter(fleet, 1)).toBe('running');
    expect(reached).toEqual(['running']);
  });

  it('a VM with shutdown behaviour restart shuts down and comes back running', () => {
    const { fleet, reached } = fleetOf({ state: 'running', shutdownBehavior: 'restart' });
    expect(fleet.stop('i-0000000a', false).CurrentState).toBe('shutting-down');
    expect(stateAfter(fleet, 3000)).toBe('pending');
    expect(stateAfter(fleet, 2000)).toBe('running');
    expect(reached).toEqual(['pending', 'running']);
  });

  it('a VM with shutdown behaviour terminate ends terminated and stays so', () => {
    const { fleet } = fleetOf({ state: 'running', shutdownBehavior: 'terminate' });
    fleet.stop('i-0000000a', true);
    expect(stateAfter(fleet, 500)).toBe('terminated');
    expect(() => fleet.start('i-0000000a')).toThrow(/terminated/);
    expect(stateAfter(fleet, 60_000)).toBe('terminated');
  });

  it('a never-stopping VM stays stopping until the fault is lifted', () => {
    const { fleet } = fleetOf({ state: 'running' });
    fleet.setNeverStop(['i-0000000a']);
    fleet.stop('i-0000000a', true);
    expect(stateAfter(fleet, 600_000)).toBe('stopping');
    fleet.setNeverStop([]);
    expect(stateAfter(fleet, 500)).toBe('stopped');
  });

  it.each(['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'] as const)(
    'represents a VM configured as %s',
    (state) => {
      expect(fleetOf({ state }).fleet.get('i-0000000a')!.state).toBe(state);
    },
  );

  it('reset puts states and tags back to the config and cancels transitions', () => {
    const { fleet, reached } = fleetOf({ state: 'running', tags: { Name: 'n1' } });
    fleet.stop('i-0000000a', false);
    fleet.get('i-0000000a')!.tags.set('Name', 'other');
    fleet.reset();
    expect(stateAfter(fleet, 10_000)).toBe('running');
    expect(fleet.get('i-0000000a')!.tags.get('Name')).toBe('n1');
    expect(reached).toEqual([]);
  });
});
