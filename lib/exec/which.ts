// SPDX-License-Identifier: Apache-2.0
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const fallbackPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Finds a program on PATH (plus the sbin directories Pacemaker's PATH may lack) without spawning anything. */
export function which(program: string, path = process.env.PATH ?? ''): string | undefined {
  if (program.includes('/')) return isExecutable(program) ? program : undefined;
  const dirs = [...path.split(delimiter), ...fallbackPath.split(':')].filter((d) => d !== '');
  for (const dir of new Set(dirs)) {
    const candidate = join(dir, program);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    // Most candidates do not exist: stat them without an error object, which costs more than the call.
    if (statSync(file, { throwIfNoEntry: false })?.isFile() !== true) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
