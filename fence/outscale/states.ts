// SPDX-License-Identifier: Apache-2.0
import type { Power } from '../../lib/fence/index.js';

/** Every VM state of the Outscale API (FiltersVm.VmStateNames in osc-api 1.40.1). */
export const vmStates = ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated', 'quarantine'] as const;
export type VmStateName = (typeof vmStates)[number];

/**
 * What each state means for fencing. Only a VM that can no longer run counts as OFF: `stopping`
 * and `shutting-down` may still write to shared storage, and `shutting-down` may end in a
 * restart (VmInitiatedShutdownBehavior=restart), so they stay ON and the power loop keeps
 * polling. `quarantine` is undocumented: ON, so nobody is declared fenced on a guess.
 */
export const vmStateToPower: Readonly<Record<VmStateName, Power>> = {
  pending: 'on',
  running: 'on',
  stopping: 'on',
  'shutting-down': 'on',
  quarantine: 'on',
  stopped: 'off',
  terminated: 'off',
};

/** The states in which a VM counts as fenced. */
export const fencedStates: readonly VmStateName[] = vmStates.filter((s) => vmStateToPower[s] === 'off');

export function isVmStateName(state: string): state is VmStateName {
  return (vmStates as readonly string[]).includes(state);
}

/**
 * The power to report while the kit wants `awaiting`. For on, a VM is on once running: one
 * still pending is not on yet, and one stopping or shutting-down is going down (on waits for
 * it to stop, then starts it), so neither says "Already ON". Otherwise as in the table.
 */
export function vmStateToPowerAwaiting(state: VmStateName, awaiting: Power | undefined): Power {
  if (awaiting === 'on' && (state === 'pending' || state === 'stopping' || state === 'shutting-down')) return 'off';
  return vmStateToPower[state];
}
