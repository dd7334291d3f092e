// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { budgetForTimeout } from '../../../../lib/time/index.js';
import { firstQuestionLeavesMs, stopReservesMs } from '../../../../agents/vm/stop-budget.js';

describe('stop budget', () => {
  it.each([
    // stop timeout, graceful, destroy, kill (ms)
    [30_000, 13_500, 10_800, 2_700], // vm_manager's default stop timeout: ~13 s graceful, as SEAPATH's patch
    [90_000, 65_000, 17_000, 3_000], // VirtualDomain's default: destroy gets SEAPATH's 17 s
    [20_000, 9_000, 7_200, 1_800], // ocf-tester's timeout
    [5_000, 1_000, 2_000, 1_000],
  ])('a %i ms stop shuts down for %i ms, keeps %i ms for destroy and %i ms to kill', (timeoutMs, graceful, destroy, kill) => {
    const budget = budgetForTimeout(timeoutMs);
    expect(stopReservesMs(budget)).toEqual({ destroyMs: destroy, killMs: kill });
    // what stop leaves to the shutdown: the budget less both reserves
    expect(budget - destroy - kill).toBe(graceful);
  });

  it.each([
    // stop timeout, what the first libvirt question leaves (ms)
    [30_000, 2_700], // the kill reserve
    [5_000, 1_000],
    [2_000, 750], // a 1.5 s budget: half of it, not the 1 s kill reserve
    [1_000, 375],
  ])('the first libvirt question of a %i ms stop leaves %i ms, to kill QEMU if libvirt does not answer', (timeoutMs, left) => {
    expect(firstQuestionLeavesMs(budgetForTimeout(timeoutMs))).toBe(left);
  });
});
