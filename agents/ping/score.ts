// SPDX-License-Identifier: Apache-2.0

/** Whether a host answered, and why not when it did not (for logs and exit reasons). */
export interface HostAnswer {
  readonly reachable: boolean;
  readonly detail: string;
}

/** What the probes found for one host_list entry. */
export interface Verdict extends HostAnswer {
  readonly entry: string;
}

/** The published value: reachable entries times the multiplier, as the stock agent computes it. */
export function connectivityScore(verdicts: readonly Verdict[], multiplier: number): number {
  return verdicts.filter((v) => v.reachable).length * multiplier;
}

/** failure_score as the stock agent's code reads it: unset is 0, so only a negative score (multiplier) is below it. */
export function effectiveFailureScore(failureScore: number | undefined): number {
  return failureScore ?? 0;
}

/** Whether the operation fails: the score is less than failure_score (0 when unset). */
export function isBelowFailureScore(score: number, failureScore: number | undefined): boolean {
  return score < effectiveFailureScore(failureScore);
}

/** `192.0.2.9 (no answer within 1000 ms), tcp:gw:22 (ECONNREFUSED)`: the unreachable entries, for a reason line. */
export function describeUnreachable(verdicts: readonly Verdict[]): string {
  return verdicts
    .filter((v) => !v.reachable)
    .map((v) => `${v.entry} (${v.detail})`)
    .join(', ');
}
