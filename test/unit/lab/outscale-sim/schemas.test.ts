// SPDX-License-Identifier: Apache-2.0
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRequestBody } from '../../../../lab/outscale-sim/schema-check.js';
import { renderSchemasModule } from '../../../../lab/outscale-sim/render-schemas-module.js';
import { parseSpecYaml } from '../../../../lab/outscale-sim/spec-yaml.js';

const specPath = process.env.OUTSCALE_SPEC ?? resolve(import.meta.dirname, '../../../../spec/outscale-api-1.40.1.yaml');
const generatedPath = resolve(import.meta.dirname, '../../../../lab/outscale-sim/api-schemas.generated.ts');

describe('api-schemas.generated.ts', () => {
  it.skipIf(!existsSync(specPath))('is what regenerate-schemas.sh produces from the spec', () => {
    expect(readFileSync(generatedPath, 'utf8')).toBe(renderSchemasModule(readFileSync(specPath, 'utf8'), 'outscale-api-1.40.1.yaml'));
  });
});

describe('spec YAML subset parser', () => {
  it('reads mappings, same-indent sequences, sequences of mappings, quoted and block scalars', () => {
    const yaml = [
      'a:',
      '  required:',
      '  - VmIds',
      "  - '0001'",
      '  oneOf:',
      '  - format: date',
      '    type: string',
      '  - type: integer',
      "  '200':",
      '    description: |-',
      '      line one',
      '      # not a comment',
      '    n: 12',
      '    b: false',
      '    empty: []',
      "    q: 'it''s'",
    ].join('\n');
    expect(parseSpecYaml(yaml)).toEqual({
      a: {
        required: ['VmIds', '0001'],
        oneOf: [{ format: 'date', type: 'string' }, { type: 'integer' }],
        200: { description: 'line one\n# not a comment', n: 12, b: false, empty: [], q: "it's" },
      },
    });
  });
});

describe('request schema check', () => {
  it.each([
    ['ReadVms', {}],
    ['ReadVms', { Filters: { VmIds: ['i-12345678'], Tags: ['Name=node1'], TagKeys: ['a'], TagValues: ['b'], VmStateNames: ['running'] }, ResultsPerPage: 1 }],
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
