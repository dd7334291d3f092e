// SPDX-License-Identifier: Apache-2.0
import { afterEach, describe, expect, it } from 'vitest';
import { checkAgainst } from '../../../../lab/outscale-sim/schemas/schema-check.js';
import { baseConfig, startHarness, type Harness } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const errorOf = (json: unknown): { Code: string; Type: string; Details: string } =>
  (json as { Errors: { Code: string; Type: string; Details: string }[] }).Errors[0]!;

describe('authentication', () => {
  it.each(['AWS4', 'OSC4'] as const)('accepts a correct %s signature', async (variant) => {
    h = await startHarness();
    expect((await h.call('ReadVms', {}, { variant })).status).toBe(200);
  });

  it.each([
    ['a wrong secret key', { secretKey: 'wrong' }, 'bad-signature'],
    ['an unknown access key', { accessKey: 'AKUNKNOWN' }, 'unknown-access-key'],
    ['a date 10 minutes old', { date: new Date(Date.now() - 600_000) }, 'clock-skew'],
  ])('answers 401 with the ErrorResponse shape for %s', async (_what, options, outcome) => {
    h = await startHarness();
    const answer = await h.call('ReadVms', {}, options);
    expect(answer.status).toBe(401);
    expect(checkAgainst('ErrorResponse', answer.json)).toEqual([]);
    expect(errorOf(answer.json)).toMatchObject({ Code: '1', Type: 'AccessDenied' });
    const log = (await h.get('/_sim/log')).json as { auth: string; status: number }[];
    expect(log[0]).toMatchObject({ auth: outcome, status: 401 });
  });

  it('does not run the operation when the signature is bad', async () => {
    h = await startHarness();
    await h.call('StopVms', { VmIds: ['i-0000000a'] }, { secretKey: 'wrong' });
    expect(((await h.get('/_sim/vms')).json as { state: string }[])[0]!.state).toBe('running');
  });

  it('locks a key after 4 bad signatures in a row, even for a good one', async () => {
    h = await startHarness();
    for (let i = 0; i < 4; i++) expect((await h.call('ReadVms', {}, { secretKey: 'wrong' })).status).toBe(401);
    const locked = await h.call('ReadVms', {});
    expect(locked.status).toBe(401);
    expect(errorOf(locked.json).Details).toMatch(/locked for 60 s/);
    const state = (await h.get('/_sim/state')).json as { auth: Record<string, { consecutive: number; lockouts: number }> };
    expect(state.auth.AKTEST0000000001).toMatchObject({ consecutive: 4, lockouts: 1 });
  });

  it('a good signature resets the count of failures', async () => {
    h = await startHarness();
    for (let i = 0; i < 3; i++) await h.call('ReadVms', {}, { secretKey: 'wrong' });
    expect((await h.call('ReadVms', {})).status).toBe(200);
    for (let i = 0; i < 3; i++) await h.call('ReadVms', {}, { secretKey: 'wrong' });
    expect((await h.call('ReadVms', {})).status).toBe(200);
  });

  it('does not lock when the lockout is disabled', async () => {
    h = await startHarness(baseConfig({ auth: { lockout: { enabled: false } } }));
    for (let i = 0; i < 5; i++) await h.call('ReadVms', {}, { secretKey: 'wrong' });
    expect((await h.call('ReadVms', {})).status).toBe(200);
  });

  it('unlocks after the lockout duration', async () => {
    h = await startHarness(baseConfig({ auth: { lockout: { afterFailures: 2, durationMs: 1000 } } }));
    for (let i = 0; i < 2; i++) await h.call('ReadVms', {}, { secretKey: 'wrong' });
    expect((await h.call('ReadVms', {})).status).toBe(401);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await h.call('ReadVms', {})).status).toBe(200);
  });

  it('checks the scope region against its own', async () => {
    h = await startHarness(baseConfig({ region: 'us-east-2' }));
    const answer = await h.call('ReadVms', {});
    expect(answer.status).toBe(401);
    expect(errorOf(answer.json).Details).toMatch(/region/);
  });
});
