// SPDX-License-Identifier: Apache-2.0
// Picks the schemas of the simulated operations (request, 200 response, ErrorResponse and everything they $ref)
// out of the parsed OpenAPI document, without descriptions and examples.
import { InvalidInput, expectObject, type JsonObject } from '../../json.js';
import type { ApiSchemas, SchemaNode } from '../schema-types.js';

const keptKeywords = [
  'type',
  'format',
  'enum',
  'required',
  '$ref',
  'default',
  'minimum',
  'maximum',
  'additionalProperties',
  'properties',
  'items',
  'oneOf',
];

export function extractSchemas(spec: unknown, operationNames: readonly string[], source: string): ApiSchemas {
  const doc = expectObject(spec, 'spec');
  const all = expectObject(expectObject(doc.components, 'spec.components').schemas, 'spec.components.schemas');
  const paths = expectObject(doc.paths, 'spec.paths');
  const operations: Record<string, { request: string; response: string }> = {};
  const wanted = ['ErrorResponse'];
  for (const name of operationNames) {
    const post = expectObject(expectObject(paths[`/${name}`], `spec.paths./${name}`).post, `/${name}.post`);
    const request = refName(dig(post, ['requestBody', 'content', 'application/json', 'schema', '$ref']));
    const response = refName(dig(post, ['responses', '200', 'content', 'application/json', 'schema', '$ref']));
    operations[name] = { request, response };
    wanted.push(request, response);
  }
  const schemas: Record<string, SchemaNode> = {};
  const visit = (name: string): void => {
    if (Object.hasOwn(schemas, name)) return;
    const raw = all[name];
    if (raw === undefined) throw new InvalidInput('spec', `schema ${name} is referenced but not defined`);
    const node = strip(raw, (ref) => refs.push(ref));
    schemas[name] = node;
    for (const ref of refs.splice(0)) visit(ref);
  };
  const refs: string[] = [];
  for (const name of wanted) visit(name);
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { source, operations, schemas: sorted };
}

function strip(value: unknown, onRef: (name: string) => void): SchemaNode {
  const o = expectObject(value, 'schema');
  const out: Record<string, unknown> = {};
  for (const key of keptKeywords) {
    const v = o[key];
    if (v === undefined) continue;
    if (key === 'properties')
      out[key] = Object.fromEntries(Object.entries(expectObject(v, 'properties')).map(([k, p]) => [k, strip(p, onRef)]));
    else if (key === 'items' || (key === 'additionalProperties' && typeof v === 'object')) out[key] = strip(v, onRef);
    else if (key === 'oneOf' && Array.isArray(v)) out[key] = v.map((s) => strip(s, onRef));
    else {
      if (key === '$ref') onRef(refName(v));
      out[key] = v;
    }
  }
  return out as SchemaNode;
}

function dig(o: JsonObject, path: readonly string[]): unknown {
  let cur: unknown = o;
  for (const key of path) cur = expectObject(cur, path.join('.'))[key];
  return cur;
}

function refName(ref: unknown): string {
  const prefix = '#/components/schemas/';
  if (typeof ref !== 'string' || !ref.startsWith(prefix)) throw new InvalidInput('spec', `unexpected $ref ${String(ref)}`);
  return ref.slice(prefix.length);
}
