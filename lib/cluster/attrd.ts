// SPDX-License-Identifier: Apache-2.0
import { ExecFailed } from '../exec/exec-failed.js';
import { query } from '../exec/query.js';
import type { Deadline } from '../time/index.js';

// attrd_updater reaches pacemaker-attrd over libqb's abstract unix sockets, which belong to a
// network namespace: these calls work only from the cluster's own namespace.

export interface AttrdOptions {
  readonly deadline: Deadline;
}

/**
 * Sets this node's attribute `name` and its dampening in one call (`-B`, since Pacemaker 2.1:
 * `-U` alone keeps the dampening the attribute was created with, so a changed dampen would
 * never apply). attrd writes the value to the CIB once it has been stable for `dampenMs`.
 */
export async function setNodeAttribute(name: string, value: string, dampenMs: number, o: AttrdOptions): Promise<void> {
  await query(['attrd_updater', '-n', name, '-B', value, '-d', formatDelay(dampenMs)], o);
}

/** Unsets this node's attribute: attrd cannot delete one, `-D` sets it to the empty value. */
export async function clearNodeAttribute(name: string, dampenMs: number, o: AttrdOptions): Promise<void> {
  await query(['attrd_updater', '-D', '-n', name, '-d', formatDelay(dampenMs)], o);
}

/** This node's value of `name` as attrd holds it now; undefined when unset, empty or never set. */
export async function readNodeAttribute(name: string, o: AttrdOptions): Promise<string | undefined> {
  try {
    return parseAttrdQuery((await query(['attrd_updater', '-Q', '-n', name], o)).stdout);
  } catch (e) {
    // 2.1.5 exits 78 with "attribute does not exist"; match the words, not the code.
    if (e instanceof ExecFailed && /does not exist/.test(e.stderr)) return undefined;
    throw e;
  }
}

/** The value in `name="pingd" host="node1" value="300"`; undefined when empty or absent. */
export function parseAttrdQuery(stdout: string): string | undefined {
  const m = /\bvalue="([^"]*)"/.exec(stdout);
  return m?.[1] ? m[1] : undefined;
}

// Pacemaker reads delays with crm_get_msec, which takes whole numbers with a unit.
function formatDelay(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}
