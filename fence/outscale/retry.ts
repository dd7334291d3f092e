// SPDX-License-Identifier: Apache-2.0

/**
 * Which answers are worth another try: throttling (429 codes 24/25, 503 code 6), other 5xx and
 * network failures. Never 401 or 403: four bad signatures in a row lock the access key for
 * minutes, and a retried bad key only lengthens the lockout. Other 4xx are our mistake.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Backoff tuned for fencing: short first waits (Outscale's guide: factor × 2^n plus jitter). */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
  readonly jitterMs: number;
}

export const fencingBackoff: BackoffPolicy = { baseMs: 500, capMs: 4000, jitterMs: 250 };

/**
 * How long to wait before retry number `retry` (1 for the first retry). A Retry-After from the
 * server wins when it is longer, within the cap.
 */
export function backoffMs(retry: number, policy: BackoffPolicy, random: () => number = Math.random, retryAfterS?: number): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  const asked = retryAfterS !== undefined ? Math.min(policy.capMs, retryAfterS * 1000) : 0;
  return Math.max(exponential, asked) + Math.floor(random() * policy.jitterMs);
}
