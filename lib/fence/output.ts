// SPDX-License-Identifier: Apache-2.0
import type { ListedPlug, Power } from './define.js';

/** `Status: ON` / `Status: OFF`, the line Pacemaker and admins read. */
export function statusLine(power: Power): string {
  return `Status: ${power.toUpperCase()}\n`;
}

/**
 * `list`: one `plug<sep>alias` line per plug; `list-status` adds on/off (lowercase, as fencing.py
 * prints it; Pacemaker's dynamic-list skips those words), or UNKNOWN.
 */
export function listLines(plugs: readonly ListedPlug[], separator: string, withStatus: boolean): string {
  return plugs
    .map((p) => [p.plug, p.alias ?? '', ...(withStatus ? [p.power ?? 'UNKNOWN'] : [])].join(separator))
    .map((line) => `${line}\n`)
    .join('');
}
