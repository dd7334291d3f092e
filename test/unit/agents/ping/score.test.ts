// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { connectivityScore, describeUnreachable, isBelowFailureScore, type Verdict } from '../../../../agents/ping/score.js';

const up = (entry: string): Verdict => ({ entry, reachable: true, detail: 'answered' });
const down = (entry: string, detail = 'no answer'): Verdict => ({ entry, reachable: false, detail });

describe('ping score', () => {
  it.each([
    [[up('a'), up('b'), up('c')], 1, 3],
    [[up('a'), up('b'), up('c')], 1000, 3000],
    [[up('a'), down('b'), up('c')], 100, 200],
    [[down('a'), down('b')], 100, 0],
    [[], 100, 0],
    [[up('a'), up('a')], 10, 20], // a host listed twice counts twice, as in the stock agent
    [[up('a'), up('b')], -5, -10],
  ])('%j times %i is %i', (verdicts, multiplier, score) => {
    expect(connectivityScore(verdicts, multiplier)).toBe(score);
  });

  it.each([
    [200, undefined, false], // unset is 0, as in the stock agent's code
    [0, undefined, false],
    [-10, undefined, true], // a negative multiplier fails there too
    [200, 200, false],
    [199, 200, true],
    [0, 1, true],
    [0, 0, false],
  ])('score %i against failure_score %s fails: %s', (score, failureScore, fails) => {
    expect(isBelowFailureScore(score, failureScore)).toBe(fails);
  });

  it('describes only the unreachable entries, with their reason', () => {
    expect(describeUnreachable([up('a'), down('b', 'ECONNREFUSED'), down('c', 'no answer within 1000 ms')])).toBe(
      'b (ECONNREFUSED), c (no answer within 1000 ms)',
    );
  });
});
