// SPDX-License-Identifier: Apache-2.0
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { errnoCode, messageOf } from '../unknown/index.js';

/**
 * Why debug_file must not be written, or undefined when it may. It holds requests and answers:
 * created readable by root only; an existing file is used only when it is a regular file of this
 * user, not a symbolic link (else whoever planted it, in /tmp say, would read the lines or have
 * root append to a file of their choice).
 */
export function debugFileProblem(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  } catch (e) {
    if (errnoCode(e) === 'ELOOP') return 'it is a symbolic link';
    return messageOf(e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return 'it is not a regular file';
    const uid = process.geteuid?.();
    if (uid !== undefined && st.uid !== uid) return `it belongs to uid ${st.uid}, not to this agent's user (${uid})`;
    return undefined;
  } finally {
    closeSync(fd);
  }
}
