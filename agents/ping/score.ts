// SPDX-License-Identifier: Apache-2.0

/** What the probes found for one host_list entry. */
export interface Verdict {
  readonly entry: string;
  readonly reachable: boolean;
  /** Why it is unreachable (or how it answered), for logs and exit reasons. */
  readonly detail: string;
}

/** The published value: reachable entries times the multiplier, as the stock agent computes it. */
export function connectivityScore(verdicts: readonly Verdict[], multiplier: number): number {
  return verdicts.filter((v) => v.reachable).length * multiplier;
}

/** failure_score as in the stock agent: the operation fails when the score is below it; unset never fails. */
export function isBelowFailureScore(score: number, failureScore: number | undefined): boolean {
  return failureScore !== undefined && score < failureScore;
}

/** `192.0.2.9 (no answer within 1000 ms), tcp:gw:22 (ECONNREFUSED)`: the unreachable entries, for a reason line. */
export function describeUnreachable(verdicts: readonly Verdict[]): string {
  return verdicts
    .filter((v) => !v.reachable)
    .map((v) => `${v.entry} (${v.detail})`)
    .join(', ');
}
