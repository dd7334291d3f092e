// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { parseAttrdQuery } from '../../../../lib/cluster/index.js';

describe('attrd_updater -Q output', () => {
  it.each([
    ['name="pingd" host="node1" value="3000"\n', '3000'],
    ['name="pingd" host="node1" value=""\n', undefined],
    ['', undefined],
  ])('%j holds %s', (stdout, value) => {
    expect(parseAttrdQuery(stdout)).toBe(value);
  });
});
