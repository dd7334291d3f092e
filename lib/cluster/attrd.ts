// SPDX-License-Identifier: Apache-2.0
import { query } from '../exec/query.js';
import { formatDurationMs, type Deadline } from '../time/index.js';

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
  await query(['attrd_updater', '-n', name, '-B', value, '-d', formatDurationMs(dampenMs)], o);
}

/** Unsets this node's attribute: attrd cannot delete one, `-D` sets it to the empty value. */
export async function clearNodeAttribute(name: string, dampenMs: number, o: AttrdOptions): Promise<void> {
  await query(['attrd_updater', '-D', '-n', name, '-d', formatDurationMs(dampenMs)], o);
}
