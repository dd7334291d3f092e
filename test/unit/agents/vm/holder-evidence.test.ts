// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { holderHost } from '../../../../agents/vm/holder-evidence.js';

describe('holderHost', () => {
  it.each([
    ['192.0.2.12:0/1102383160', '192.0.2.12'],
    ['v2:192.0.2.12:0/77', '192.0.2.12'],
    ['[2001:db8::12]:0/77', '2001:db8::12'],
    ['v2:[2001:db8::12]:0/77', '2001:db8::12'],
  ])('takes the host of RBD client address %s', (address, host) => {
    expect(holderHost(address)).toBe(host);
  });
});
