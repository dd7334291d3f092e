// SPDX-License-Identifier: Apache-2.0
// Validates request and response bodies of the simulated calls against the spec's schemas
// (api-schemas.generated.ts, extracted from outscale-api-1.40.1.yaml). The spec closes every object
// with additionalProperties: false, so unknown fields are violations.
import { apiSchemas } from './api-schemas.generated.js';
import { isObject } from '../json.js';
import type { Operation } from '../api/operations-list.js';
import type { SchemaViolation } from '../http/request-log.js';
import type { ApiSchemas, SchemaNode } from './schema-types.js';

/** Violations of the operation's request schema; empty when the body conforms. */
export function checkRequestBody(operation: Operation, body: unknown, schemas: ApiSchemas = apiSchemas): SchemaViolation[] {
  return checkAgainst(schemas.operations[operation]!.request, body, schemas);
}

/** Violations of the operation's 200 response schema (for testing the simulator itself). */
export function checkResponseBody(operation: Operation, body: unknown, schemas: ApiSchemas = apiSchemas): SchemaViolation[] {
  return checkAgainst(schemas.operations[operation]!.response, body, schemas);
}

export function checkAgainst(schemaName: string, value: unknown, schemas: ApiSchemas = apiSchemas): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  check({ $ref: `#/components/schemas/${schemaName}` }, value, '', schemas, violations);
  return violations;
}

function check(node: SchemaNode, value: unknown, path: string, schemas: ApiSchemas, out: SchemaViolation[]): void {
  const at = path === '' ? '(body)' : path;
  if (node.$ref !== undefined) {
    const target = schemas.schemas[node.$ref.replace('#/components/schemas/', '')];
    if (target === undefined) return void out.push({ path: at, message: `schema ${node.$ref} is missing` });
    return check(target, value, path, schemas, out);
  }
  if (node.oneOf !== undefined) {
    const matching = node.oneOf.filter((alt) => {
      const sub: SchemaViolation[] = [];
      check(alt, value, path, schemas, sub);
      return sub.length === 0;
    }).length;
    // The spec's oneOf lists string formats (date | date-time) that overlap: accept one or more matches.
    if (matching === 0) out.push({ path: at, message: 'matches none of the allowed alternatives' });
    return;
  }
  if (node.type !== undefined && !hasType(value, node.type))
    return void out.push({ path: at, message: `expected ${node.type}, got ${jsonType(value)}` });
  if (node.enum !== undefined && !node.enum.includes(value as string | number | boolean))
    out.push({ path: at, message: `must be one of ${node.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  if (typeof value === 'number') {
    if (node.minimum !== undefined && value < node.minimum) out.push({ path: at, message: `must be >= ${node.minimum}` });
    if (node.maximum !== undefined && value > node.maximum) out.push({ path: at, message: `must be <= ${node.maximum}` });
  }
  if (Array.isArray(value) && node.items !== undefined) {
    for (const [i, item] of value.entries()) check(node.items, item, `${path}[${i}]`, schemas, out);
  }
  if (isObject(value) && (node.properties !== undefined || node.type === 'object')) {
    const properties = node.properties ?? {};
    for (const name of node.required ?? []) if (value[name] === undefined) out.push({ path: join(path, name), message: 'is required' });
    for (const [name, v] of Object.entries(value)) {
      const prop = properties[name];
      if (prop !== undefined) check(prop, v, join(path, name), schemas, out);
      else if (node.additionalProperties === false) out.push({ path: join(path, name), message: 'is not a known parameter' });
      else if (typeof node.additionalProperties === 'object') check(node.additionalProperties, v, join(path, name), schemas, out);
    }
  }
}

function hasType(value: unknown, type: NonNullable<SchemaNode['type']>): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}
