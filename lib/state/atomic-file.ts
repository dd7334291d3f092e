// SPDX-License-Identifier: Apache-2.0
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { errnoCode } from '../unknown/index.js';

/**
 * Replaces `path` with `text` so that a reader sees the old file or the new one, never a part:
 * written to a new file beside it, synced, renamed over it, and the directory synced. The new
 * file is created exclusively under an unpredictable name: a link someone planted in a directory
 * they may write to is never followed, and a name that exists already is skipped.
 */
export function writeFileAtomically(path: string, text: string, mode = 0o600): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const { tmp, fd } = createExclusive(path, mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  syncDirectory(dir);
}

function createExclusive(path: string, mode: number): { tmp: string; fd: number } {
  for (let attempt = 0; ; attempt++) {
    const tmp = `${path}.${process.pid}.${process.hrtime.bigint().toString(36)}.tmp`;
    try {
      return { tmp, fd: openSync(tmp, 'wx', mode) };
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST' || attempt >= 4) throw e;
    }
  }
}

// The rename is durable only once the directory is: a node reset right after would otherwise find the old file.
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory: the file itself is synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
