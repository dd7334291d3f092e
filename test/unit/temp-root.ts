// SPDX-License-Identifier: Apache-2.0
// Vitest's global setup: every temporary file or directory the unit tests make (os.tmpdir(), and
// the programs they run) goes under one directory of this run, removed at its end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'seapath-unit-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
