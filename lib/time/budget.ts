// SPDX-License-Identifier: Apache-2.0
import type { Deadline } from './deadline.js';

/**
 * The budget an agent gives itself for an operation of `timeoutMs`: it must write its exit
 * reason and exit before Pacemaker's SIGKILL, so it keeps a margin of 10 % (1 to 5 s).
 */
export function budgetForTimeout(timeoutMs: number): number {
  if (timeoutMs <= 4000) return Math.floor(timeoutMs * 0.75);
  const margin = Math.min(5000, Math.max(1000, timeoutMs / 10));
  return Math.floor(timeoutMs - margin);
}

// Time left after a step times out: to kill its child (SIGKILL, lib/exec)
// and report why, before the kit's own deadline answers with a generic reason.
const reasonMarginMs = 1000;

/** The deadline of one bounded step: at most `maxMs`, and over early enough that its own error is the exit reason. */
export function stepDeadline(deadline: Deadline, maxMs = Number.POSITIVE_INFINITY): Deadline {
  return deadline.leaving(reasonMarginMs).within(maxMs);
}
