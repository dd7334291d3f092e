// SPDX-License-Identifier: Apache-2.0
// Pacemaker's units (pcmk__parse_ms, crm_get_msec in 2.1), in any case, read as Pacemaker reads them: by
// their first letters, so that `10seconds`, `2minutes`, `1hour` and `500usec` are durations here as
// they are to attrd (a dampen value Pacemaker takes must not be refused, nor read otherwise).
function unitFactor(unit: string): number | undefined {
  const u = unit.toLowerCase();
  if (u.startsWith('ms')) return 1;
  if (u.startsWith('us')) return 0.001;
  if (u.startsWith('s')) return 1000;
  if (u.startsWith('m')) return 60_000;
  if (u.startsWith('h')) return 3_600_000;
  return undefined;
}

/** The unit of a bare number in a duration. */
export type DurationUnit = 's' | 'ms';

/**
 * Reads a duration as Pacemaker writes them (`5s`, `500ms`, `2min`, `1h`) into milliseconds; a
 * bare number is in `bareUnit` (seconds, as for Pacemaker). Undefined when it is not one. A
 * fraction is kept (`1.5s` is 1500 ms; Pacemaker drops it).
 */
export function parseDurationMs(text: string, bareUnit: DurationUnit = 's'): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const factor = m[2] ? unitFactor(m[2]) : bareUnit === 's' ? 1000 : 1;
  return factor === undefined ? undefined : Math.round(Number(m[1]) * factor);
}

/** A duration as Pacemaker's crm_get_msec reads one: whole seconds (`5s`), else whole milliseconds (`1500ms`). */
export function formatDurationMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}
