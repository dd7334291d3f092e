// SPDX-License-Identifier: Apache-2.0
// Text-to-value conversions shared by resource-agent parameters and fence-agent options.

export type Parsed<T> = { value: T } | { error: string };

/** A whole number within optional bounds, with a message naming what was expected. */
export function parseInteger(raw: string, bounds: { readonly min?: number | undefined; readonly max?: number | undefined }): Parsed<number> {
  const text = raw.trim();
  if (!/^-?\d+$/.test(text)) return { error: `expected an integer, got '${raw}'` };
  const value = Number(text);
  if (bounds.min !== undefined && value < bounds.min) return { error: `must be at least ${bounds.min}, got ${value}` };
  if (bounds.max !== undefined && value > bounds.max) return { error: `must be at most ${bounds.max}, got ${value}` };
  return { value };
}

// Pacemaker's units (crm_get_msec), in any case.
const unitMs: Readonly<Record<string, number>> = {
  s: 1000,
  sec: 1000,
  ms: 1,
  msec: 1,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
};

/** The unit of a bare number in a duration. */
export type DurationUnit = 's' | 'ms';

/**
 * Reads a duration as Pacemaker writes them (`5s`, `500ms`, `2min`, `1h`) into milliseconds; a
 * bare number is in `bareUnit` (seconds, as for Pacemaker). Undefined when it is not one.
 */
export function parseDurationMs(text: string, bareUnit: DurationUnit = 's'): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const factor = unitMs[(m[2] || bareUnit).toLowerCase()];
  return factor === undefined ? undefined : Math.round(Number(m[1]) * factor);
}

const trueWords = new Set(['1', 'true', 'yes', 'on', 'y']);
const falseWords = new Set(['0', 'false', 'no', 'off', 'n']);

/** A boolean the way ocf_is_true and fencing.py read one (yes/true/1/on, any case). */
export function parseBoolean(raw: string): Parsed<boolean> {
  const word = raw.trim().toLowerCase();
  if (trueWords.has(word)) return { value: true };
  if (falseWords.has(word)) return { value: false };
  return { error: `expected true or false, got '${raw}'` };
}

const ocfTrueWords = new Set(['yes', 'true', '1', 'YES', 'TRUE', 'True', 'ja', 'on', 'ON']);

/**
 * ocf-shellfuncs' ocf_is_true, exactly: those words are true, anything else is false. `known`
 * tells whether the value was one of its true words or of false/no/off/0, for a warning otherwise.
 */
export function ocfIsTrue(raw: string): { value: boolean; known: boolean } {
  const value = ocfTrueWords.has(raw.trim());
  return { value, known: value || ['no', 'false', '0', 'off'].includes(raw.trim().toLowerCase()) };
}
