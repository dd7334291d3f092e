// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { checkRequestBody } from '../../../../lab/outscale-sim/schemas/schema-check.js';

describe('request schema check', () => {
  it.each([
    ['ReadVms', {}],
    [
      'ReadVms',
      {
        Filters: { VmIds: ['i-12345678'], Tags: ['Name=node1'], TagKeys: ['a'], TagValues: ['b'], VmStateNames: ['running'] },
        ResultsPerPage: 1,
      },
    ],
    ['StopVms', { VmIds: ['i-12345678'], ForceStop: true, DryRun: false }],
    ['StartVms', { VmIds: ['i-12345678'] }],
    ['CreateTags', { ResourceIds: ['i-12345678'], Tags: [{ Key: 'k', Value: 'v' }] }],
  ] as const)('accepts a valid %s body %j', (operation, body) => {
    expect(checkRequestBody(operation, body)).toEqual([]);
  });

  it.each([
    ['ReadVms', [], '(body)', 'expected object, got array'],
    ['ReadVms', { Filters: { VmIds: 'i-12345678' } }, 'Filters.VmIds', 'expected array, got string'],
    ['ReadVms', { ResultsPerPage: 1.5 }, 'ResultsPerPage', 'expected integer, got number'],
    ['StopVms', { VmIds: ['i-12345678'], Force: true }, 'Force', 'is not a known parameter'],
    ['StopVms', { ForceStop: true }, 'VmIds', 'is required'],
    ['CreateTags', { ResourceIds: ['i-1'], Tags: [{ Key: 'k', Value: 'v', Extra: 1 }] }, 'Tags[0].Extra', 'is not a known parameter'],
  ] as const)('reports a %s body %j at %s', (operation, body, path, message) => {
    expect(checkRequestBody(operation, body)).toContainEqual({ path, message });
  });
});
