// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it, vi } from 'vitest';
import { budgetForTimeout, Deadline, expiry, parseDurationMs, waitUntil, WaitTimedOut } from '../../../../lib/time/index.js';

describe('deadline', () => {
  it.each([
    [20_000, 18_000],
    [60_000, 55_000],
    [5_000, 4_000],
    [2_000, 1_500],
  ])('a %i ms operation timeout leaves a budget of %i ms', (timeout, budget) => {
    expect(budgetForTimeout(timeout)).toBe(budget);
  });

  it('a portion never outlives its parent', () => {
    const d = Deadline.after(1000);
    expect(d.portion(0.5).remainingMs()).toBeLessThanOrEqual(500);
    expect(d.within(5000).remainingMs()).toBeLessThanOrEqual(1000);
    expect(d.leaving(800).remainingMs()).toBeLessThanOrEqual(200);
  });

  it.each([30_000, -30_000])('a wall clock stepped by %i ms (chrony, PTP) neither ends nor stretches the budget', (stepMs) => {
    const d = Deadline.after(18_000);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + stepMs });
    try {
      expect(d.remainingMs()).toBeGreaterThan(17_000);
      expect(d.remainingMs()).toBeLessThanOrEqual(18_000);
      expect(d.within(3000).remainingMs()).toBeGreaterThan(2000);
      expect(d.leaving(8000).remainingMs()).toBeLessThanOrEqual(10_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('waitUntil times out with a reason naming what it waited for', async () => {
    const err = await waitUntil('the moon', async () => false, Deadline.after(300), 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimedOut);
    expect((err as WaitTimedOut).message).toBe('timed out waiting for the moon');
  });

  it('waitUntil returns as soon as the condition holds', async () => {
    let calls = 0;
    await waitUntil('three calls', async () => ++calls >= 3, Deadline.after(5000), 10);
    expect(calls).toBe(3);
  });

  it('expiry loses a race to work that ends first, and wins one against work that outlasts the deadline', async () => {
    const quick = new Promise<string>((resolve) => setTimeout(() => resolve('done'), 20));
    expect(await Promise.race([quick, expiry(Deadline.after(2000))])).toBe('done');
    const slow = new Promise<string>((resolve) => setTimeout(() => resolve('done'), 2000));
    const started = performance.now();
    expect(await Promise.race([slow, expiry(Deadline.after(50))])).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await expiry(Deadline.after(0))).toBeUndefined();
  });

  it.each([
    ['20s', 20_000],
    ['1500ms', 1500],
    ['2m', 120_000],
    ['90', 90_000],
    ['soon', undefined],
  ])('parses duration %j as %s ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });
});
