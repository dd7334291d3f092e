// SPDX-License-Identifier: Apache-2.0
import { expect, it } from 'vitest';
import { backoffMs, fencingBackoff, isRetryableStatus } from '../../../../fence/outscale/retry.js';

it.each([
  [429, true],
  [500, true],
  [502, true],
  [503, true],
  [504, true],
  [400, false],
  [401, false], // four bad signatures lock the key
  [403, false],
  [404, false],
  [409, false],
])('HTTP %i is retried: %s', (status, retried) => {
  expect(isRetryableStatus(status)).toBe(retried);
});

it.each([
  [1, 500],
  [2, 1000],
  [3, 2000],
  [4, 4000],
  [5, 4000], // capped
])('retry %i waits %i ms plus jitter', (retry, ms) => {
  expect(backoffMs(retry, fencingBackoff, () => 0)).toBe(ms);
  expect(backoffMs(retry, fencingBackoff, () => 0.999)).toBeLessThan(ms + fencingBackoff.jitterMs);
});

it('a longer Retry-After wins, within the cap', () => {
  expect(backoffMs(1, fencingBackoff, () => 0, 2)).toBe(2000);
  expect(backoffMs(1, fencingBackoff, () => 0, 60)).toBe(4000);
});
