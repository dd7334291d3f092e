// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { parseTimeout, planProbe, stockDefaultTimeoutMs } from '../../../../agents/ping/timing.js';

describe('ping deadline split', () => {
  it('gives every host the whole timeout, shared by the attempts, when it fits', () => {
    // 60 s monitor: the kit's budget is 55 s; publication keeps 3 s
    expect(planProbe(2000, 3, 55_000)).toEqual({ waitMs: 2000, perAttemptMs: 666, attempts: 3, publishReserveMs: 3000, shortened: false });
    expect(planProbe(1000, 1, 55_000)).toMatchObject({ waitMs: 1000, perAttemptMs: 1000, attempts: 1 });
  });

  it('shortens a timeout that does not fit, keeping time for attrd_updater and the backstop', () => {
    const plan = planProbe(30_000, 3, 15_000); // 20 s op: 15 s budget
    expect(plan.publishReserveMs).toBe(3000);
    expect(plan.waitMs).toBe(10_800); // 90 % of the 12 s left after publication
    expect(plan.shortened).toBe(true);
    expect(plan.perAttemptMs * plan.attempts).toBeLessThanOrEqual(plan.waitMs);
  });

  it.each([
    [2000, 3, 55_000],
    [30_000, 5, 15_000],
    [2000, 3, 3000],
    [1000, 3, 750],
    [5000, 10, 100],
  ])('timeout %i ms, %i attempts, %i ms left: probes and publication fit in what is left', (timeoutMs, attempts, remainingMs) => {
    const plan = planProbe(timeoutMs, attempts, remainingMs);
    expect(plan.waitMs + plan.publishReserveMs).toBeLessThanOrEqual(Math.max(remainingMs, plan.publishReserveMs + 1));
    expect(plan.waitMs).toBeLessThanOrEqual(timeoutMs);
    expect(plan.perAttemptMs).toBeGreaterThanOrEqual(1);
    expect(plan.attempts).toBeGreaterThanOrEqual(1);
    expect(plan.attempts).toBeLessThanOrEqual(attempts);
  });

  it('keeps a small reserve for publication on a short budget', () => {
    expect(planProbe(2000, 3, 1000)).toMatchObject({ publishReserveMs: 200, waitMs: 720, shortened: true });
  });
});

describe('timeout when unset (the stock formula)', () => {
  it.each([
    [60_000, 1, 3, 18_000], // the stock default monitor: 60000/1/3/1100 = 18 s
    [60_000, 3, 3, 6_000],
    [20_000, 1, 3, 6_000],
    [undefined, 1, 3, 6_000], // Pacemaker gave no timeout: 20 s, as stock assumes
    [10_000, 4, 3, 5_000], // under 1 s becomes 5 s
    [4_000_000_000, 1, 1, 300_000], // over 1000 s becomes 300 s
  ])('a %s ms operation with %i hosts and %i attempts waits %i ms per host', (operationMs, hosts, attempts, expected) => {
    expect(stockDefaultTimeoutMs(operationMs, hosts, attempts)).toBe(expected);
  });

  it('leaves 2 s of packet loss well inside the computed timeout of a default monitor', () => {
    const plan = planProbe(stockDefaultTimeoutMs(60_000, 1, 3), 3, 55_000);
    expect(plan.waitMs).toBe(18_000);
    expect(plan.perAttemptMs).toBe(6_000);
  });
});

describe('timeout as written', () => {
  it.each([
    ['2', 2000],
    ['500ms', 500],
    ['1min', 60_000],
  ])('%s is %i ms, without a warning', (raw, ms) => {
    expect(parseTimeout(raw)).toEqual({ value: { ms } });
  });

  it.each(['0', '0s', '0ms'])('%s is 5 s with a warning, as the stock agent turns anything under 1 s into 5', (raw) => {
    expect(parseTimeout(raw)).toEqual({ value: { ms: 5000, note: `timeout '${raw}' is 0: using 5 s, as the stock agent does` } });
  });

  it.each(['fast', '-1', '5x'])('%s is the computed default with a warning, never a refusal (6 would stop the clone everywhere)', (raw) => {
    const parsed = parseTimeout(raw);
    expect(parsed).toMatchObject({ value: { ms: undefined } });
    expect('value' in parsed && parsed.value.note).toContain('using the computed default');
  });
});
