// SPDX-License-Identifier: Apache-2.0
// Narrowing helpers for JSON that arrives as `unknown` (config files, request bodies, control calls).

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Thrown when a config file or control body does not have the expected shape. */
export class InvalidInput extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'InvalidInput';
  }
}

export function expectObject(value: unknown, where: string): JsonObject {
  if (!isObject(value)) throw new InvalidInput(where, `expected an object, got ${describe(value)}`);
  return value;
}

// The value of obj[key] when it passes `is`, undefined when absent; else InvalidInput naming what was expected.
function optional<T>(obj: JsonObject, key: string, where: string, is: (v: unknown) => v is T, expected: string): T | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (!is(v)) throw new InvalidInput(`${where}.${key}`, `expected ${expected}, got ${describe(v)}`);
  return v;
}

export function optionalString(obj: JsonObject, key: string, where: string): string | undefined {
  return optional(obj, key, where, (v): v is string => typeof v === 'string', 'a string');
}

export function requiredString(obj: JsonObject, key: string, where: string): string {
  const v = optionalString(obj, key, where);
  if (v === undefined || v === '') throw new InvalidInput(`${where}.${key}`, 'is required');
  return v;
}

export function optionalNumber(obj: JsonObject, key: string, where: string): number | undefined {
  return optional(obj, key, where, (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a non-negative number');
}

export function optionalBoolean(obj: JsonObject, key: string, where: string): boolean | undefined {
  return optional(obj, key, where, (v): v is boolean => typeof v === 'boolean', 'a boolean');
}

export function optionalStringArray(obj: JsonObject, key: string, where: string): string[] | undefined {
  return optional(obj, key, where, (v): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string'), 'an array of strings');
}

export function optionalArray(obj: JsonObject, key: string, where: string): readonly unknown[] | undefined {
  return optional(obj, key, where, (v): v is unknown[] => Array.isArray(v), 'an array');
}

export function rejectUnknownKeys(obj: JsonObject, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj))
    if (!allowed.includes(key)) throw new InvalidInput(where, `unknown key "${key}" (allowed: ${allowed.join(', ')})`);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
