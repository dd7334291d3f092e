// SPDX-License-Identifier: Apache-2.0
import { Ocf, type OcfCode } from './exit-codes.js';

/** What the kit does with an error, depending on the action it happened in. */
export interface Outcome {
  readonly code: OcfCode;
  /** Written as the `ocf-exit-reason:` line when set. */
  readonly reason?: string;
  /** Logged at INFO when an error is turned into a success or "not running". */
  readonly note?: string;
}

const unusableHere = new Set<number>([Ocf.ERR_ARGS, Ocf.ERR_INSTALLED, Ocf.ERR_CONFIGURED, Ocf.ERR_PERM]);
// What says the resource cannot be running here. Lacking a privilege says nothing of the kind: a stop
// refused one has not stopped anything (IPaddr2's stop as a non-root user exits 4, and the node is fenced).
const cannotRunHere = new Set<number>([Ocf.ERR_ARGS, Ocf.ERR_INSTALLED, Ocf.ERR_CONFIGURED]);

/**
 * The one place that maps an error to an exit code per action (ocf-rarun's handle_invalid_env):
 * - stop of an unusable configuration exits 0: the resource cannot be running, and a failed
 *   stop gets the node fenced; a stop without the privileges it needs keeps its 4;
 * - a probe exits 7 when the resource cannot be running here;
 * - a recurring monitor never exits 6 (that would stop the resource on every node), nor 2 or 5;
 * - everything else keeps its code.
 */
export function outcomeOf(action: string, isProbe: boolean, code: OcfCode, reason: string): Outcome {
  if (code === Ocf.SUCCESS) return { code };
  if (action === 'stop' && cannotRunHere.has(code)) return { code: Ocf.SUCCESS, note: `stop: treating the resource as stopped: ${reason}` };
  if (action === 'monitor') {
    if (isProbe && (unusableHere.has(code) || code === Ocf.NOT_RUNNING))
      return { code: Ocf.NOT_RUNNING, ...(code !== Ocf.NOT_RUNNING ? { note: `probe: not running here: ${reason}` } : {}) };
    if (code === Ocf.NOT_RUNNING) return { code, reason };
    if (unusableHere.has(code)) return { code: Ocf.ERR_GENERIC, reason };
  }
  if (action === 'stop' && code === Ocf.NOT_RUNNING) return { code: Ocf.SUCCESS };
  return { code, reason };
}
