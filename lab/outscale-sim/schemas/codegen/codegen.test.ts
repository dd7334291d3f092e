// SPDX-License-Identifier: Apache-2.0
// The schema code generation, checked by `make test` and `regenerate-schemas.sh --check` (the simulator
// uses the committed api-schemas.generated.ts, never this parser).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSchemasModule } from './render-schemas-module.js';
import { parseSpecYaml } from './spec-yaml.js';

const specPath = process.env.OUTSCALE_SPEC ?? resolve(import.meta.dirname, '../../../../spec/outscale-api-1.40.1.yaml');
const generatedPath = resolve(import.meta.dirname, '../api-schemas.generated.ts');

describe('api-schemas.generated.ts', () => {
  it('is what regenerate-schemas.sh produces from the spec', () => {
    expect(existsSync(specPath)).toBe(true);
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
