// SPDX-License-Identifier: Apache-2.0
// Text-to-value conversions shared by resource-agent parameters and fence-agent options.

export type Parsed<T> = { value: T } | { error: string };

/** A whole number within optional bounds, with a message naming what was expected. */
export function parseInteger(
  raw: string,
  bounds: { readonly min?: number | undefined; readonly max?: number | undefined },
): Parsed<number> {
  const text = raw.trim();
  if (!/^-?\d+$/.test(text)) return { error: `expected an integer, got '${raw}'` };
  const value = Number(text);
  if (bounds.min !== undefined && value < bounds.min) return { error: `must be at least ${bounds.min}, got ${value}` };
  if (bounds.max !== undefined && value > bounds.max) return { error: `must be at most ${bounds.max}, got ${value}` };
  return { value };
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

/**
 * A parameter that lists words (options handed to a program, paths), split as the shell agents'
 * unquoted expansion splits it: on runs of whitespace, no quoting. Unset or blank is no word.
 */
export function wordsOf(raw: string | undefined): string[] {
  return (raw ?? '').split(/\s+/).filter((w) => w !== '');
}
