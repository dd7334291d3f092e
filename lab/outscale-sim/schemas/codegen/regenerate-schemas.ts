// SPDX-License-Identifier: Apache-2.0
// Entry point of regenerate-schemas.sh: regenerate-schemas <spec.yaml> <out.ts>.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { renderSchemasModule } from './render-schemas-module.js';

const [specPath, outPath] = process.argv.slice(2);
if (specPath === undefined || outPath === undefined) throw new Error('usage: regenerate-schemas <spec.yaml> <out.ts>');
writeFileSync(outPath, renderSchemasModule(readFileSync(specPath, 'utf8'), basename(specPath)));
