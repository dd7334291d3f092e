// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { CAP_NET_RAW, effectiveHas } from '../../../../lib/exec/index.js';

const status = (capEff: string) => `Name:\tvip\nCapInh:\t0000000000000000\nCapEff:\t${capEff}\nCapBnd:\t${capEff}\n`;

describe('effectiveHas', () => {
  it.each([
    ['000001ffffffffff', true], // root, nothing dropped
    ['00000000000011e3', false], // SEAPATH's Debian bounding set: no cap_net_raw
    ['0000000000002000', true],
    ['0000000000000000', false],
  ])('CapEff %s has cap_net_raw: %s', (capEff, expected) => {
    expect(effectiveHas(status(capEff), CAP_NET_RAW)).toBe(expected);
  });

  it('is false when there is no CapEff line', () => {
    expect(effectiveHas('Name:\tx\n', CAP_NET_RAW)).toBe(false);
  });
});
