// SPDX-License-Identifier: Apache-2.0
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

/** A duration as Pacemaker's crm_get_msec reads one: whole seconds (`5s`), else whole milliseconds (`1500ms`). */
export function formatDurationMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}
