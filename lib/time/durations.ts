// SPDX-License-Identifier: Apache-2.0
const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** Parses Pacemaker-style durations ('20s', '1500ms', '2m', bare seconds) into milliseconds. */
export function parseDurationMs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/.exec(text);
  if (!m) return undefined;
  const unit = units[m[2] ?? 's'] ?? 1000;
  return Math.round(Number(m[1]) * unit);
}
