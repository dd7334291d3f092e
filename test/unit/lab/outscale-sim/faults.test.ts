// SPDX-License-Identifier: Apache-2.0
import { afterEach, describe, expect, it } from 'vitest';
import { checkAgainst } from '../../../../lab/outscale-sim/schemas/schema-check.js';
import { baseConfig, sleep, startHarness, waitForState, type Harness } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const errorOf = (json: unknown): { Code: string } => (json as { Errors: { Code: string }[] }).Errors[0]!;

async function withFaults(faults: unknown): Promise<Harness> {
  h = await startHarness();
  const set = await h.post('/_sim/faults', faults);
  expect(set.status).toBe(200);
  return h;
}

describe('fault injection', () => {
  it.each([
    [429, undefined, '25'],
    [429, '24', '24'],
    [503, undefined, '6'],
    [500, undefined, '2000'],
  ])('fails StopVms N times with %i (code %s) before it succeeds', async (status, code, expectedCode) => {
    const sim = await withFaults({ operations: { StopVms: { failures: { count: 2, status, ...(code ? { code } : {}) } } } });
    for (let i = 0; i < 2; i++) {
      const answer = await sim.call('StopVms', { VmIds: ['i-0000000a'] });
      expect(answer.status).toBe(status);
      expect(checkAgainst('ErrorResponse', answer.json)).toEqual([]);
      expect(errorOf(answer.json).Code).toBe(expectedCode);
    }
    expect((await sim.call('ReadVms', {})).status).toBe(200); // other operations are not affected
    expect((await sim.call('StopVms', { VmIds: ['i-0000000a'] })).status).toBe(200);
  });

  it('a failure under "*" applies to every operation with one counter', async () => {
    const sim = await withFaults({ operations: { '*': { failures: { count: 2, status: 503 } } } });
    expect((await sim.call('ReadVms', {})).status).toBe(503);
    expect((await sim.call('StopVms', { VmIds: ['i-0000000a'] })).status).toBe(503);
    expect((await sim.call('ReadVms', {})).status).toBe(200);
  });

  it('an injected throttle does not run the operation', async () => {
    const sim = await withFaults({ operations: { StopVms: { failures: { count: 1, status: 429 } } } });
    await sim.call('StopVms', { VmIds: ['i-0000000a'] });
    expect(((await sim.get('/_sim/vms')).json as { state: string }[])[0]!.state).toBe('running');
  });

  it('always answers 401 when told to', async () => {
    const sim = await withFaults({ alwaysUnauthorized: true });
    const answer = await sim.call('ReadVms', {});
    expect(answer.status).toBe(401);
    expect(errorOf(answer.json).Code).toBe('1');
  });

  it('a hang never answers, and the log shows it unanswered', async () => {
    const sim = await withFaults({ operations: { ReadVms: { hang: 'forever' } } });
    await expect(sim.call('ReadVms', {}, { timeoutMs: 300 })).rejects.toThrow(/client timeout/);
    const log = (await sim.get('/_sim/log')).json as { status: number | null; fault: string }[];
    expect(log[0]).toMatchObject({ status: null, fault: 'hang' });
  });

  it('a hang with afterMs answers after the delay', async () => {
    const sim = await withFaults({ hang: { afterMs: 300 } });
    const started = Date.now();
    expect((await sim.call('ReadVms', {})).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('adds latency to every call', async () => {
    const sim = await withFaults({ latencyMs: 200 });
    const started = Date.now();
    await sim.call('ReadVms', {});
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('a VM that never stops stays stopping', async () => {
    const sim = await withFaults({ neverStopVmIds: ['i-0000000a'] });
    await sim.call('StopVms', { VmIds: ['i-0000000a'], ForceStop: true });
    await sleep(400);
    const answer = await sim.call('ReadVms', { Filters: { VmIds: ['i-0000000a'] } });
    expect(answer.json).toMatchObject({ Vms: [{ State: 'stopping' }] });
  });

  it('terminateVmIds terminates VMs at once', async () => {
    const sim = await withFaults({ terminateVmIds: ['i-0000000b'] });
    const answer = await sim.call('ReadVms', { Filters: { VmIds: ['i-0000000b'] } });
    expect(answer.json).toMatchObject({ Vms: [{ State: 'terminated' }] });
  });

  it.each([
    [{ latencyMs: -1 }, /latencyMs/],
    [{ operations: { RebootVms: {} } }, /unknown operation "RebootVms"/],
    [{ operations: { StopVms: { failures: { status: 418 } } } }, /429, 503 or 500/],
    [{ bogus: true }, /unknown key "bogus"/],
    [{ terminateVmIds: ['i-000000ff'] }, /no VM i-000000ff/],
  ])('refuses invalid faults %j with 400', async (faults, message) => {
    h = await startHarness();
    const answer = await h.post('/_sim/faults', faults);
    expect(answer.status).toBe(400);
    expect((answer.json as { error: string }).error).toMatch(message);
  });

  it('faults from the config apply from the start, and reset restores them with fresh counters', async () => {
    h = await startHarness(baseConfig({ faults: { operations: { ReadVms: { failures: { count: 1, status: 503 } } } } }));
    expect((await h.call('ReadVms', {})).status).toBe(503);
    expect((await h.call('ReadVms', {})).status).toBe(200);
    await h.post('/_sim/reset', {});
    expect((await h.call('ReadVms', {})).status).toBe(503);
    expect((await h.get('/_sim/log')).json).toHaveLength(1);
  });

  it('POST /_sim/faults replaces the previous faults', async () => {
    const sim = await withFaults({ alwaysUnauthorized: true });
    await sim.post('/_sim/faults', {});
    expect((await sim.call('ReadVms', {})).status).toBe(200);
  });
});

describe('metadata stub', () => {
  it('answers 404 when told to', async () => {
    const sim = await withFaults({ metadata: 'not-found' });
    expect((await sim.get('/latest/meta-data/instance-id')).status).toBe(404);
  });

  it('hangs when told to', async () => {
    h = await startHarness();
    await h.post('/_sim/faults', { metadata: 'hang' });
    const hung = h.get('/latest/meta-data/instance-id');
    const outcome = await Promise.race([hung.then(() => 'answered'), sleep(300).then(() => 'still waiting')]);
    expect(outcome).toBe('still waiting');
    await h.close();
    await hung.catch(() => undefined);
    h = undefined;
  });

  it('answers 404 when no instance ID is configured', async () => {
    h = await startHarness(baseConfig({ metadata: {} }));
    expect((await h.get('/latest/meta-data/instance-id')).status).toBe(404);
  });
});

describe('reset and hooks', () => {
  it('reset brings VM states back to the config', async () => {
    h = await startHarness();
    await h.call('StopVms', { VmIds: ['i-0000000a'], ForceStop: true });
    await waitForState(h, 'i-0000000a', 'stopped');
    await h.post('/_sim/reset', {});
    await waitForState(h, 'i-0000000a', 'running', 100);
  });
});
