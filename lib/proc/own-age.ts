// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';

// /proc counts a process's start in USER_HZ ticks, 100 a second on every Linux architecture.
const ticksPerSecond = 100;

/**
 * How long ago this process was started (exec'd by pacemaker-execd), in ms, to 10 ms; 0 when
 * /proc cannot say. Pacemaker's timer runs from the fork: the time Node took to start (long when
 * the executable's pages must be read back under memory pressure) is already spent.
 */
export function ownAgeMs(proc = '/proc'): number {
  try {
    const stat = readFileSync(`${proc}/self/stat`, 'utf8');
    const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const uptimeS = Number.parseFloat(readFileSync(`${proc}/uptime`, 'utf8'));
    const ageMs = Math.round(uptimeS * 1000 - (startTicks * 1000) / ticksPerSecond);
    return Number.isFinite(ageMs) && ageMs > 0 ? ageMs : 0;
  } catch {
    return 0;
  }
}
