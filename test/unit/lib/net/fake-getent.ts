// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * A `getent` of the test's own, first on PATH, for the rest of the test: `body` is its shell
 * script after the shebang. Registers the clean-up with afterEach.
 */
export function useFakeGetent(): (body: string) => string {
  const savedPath = process.env.PATH;
  let dir: string | undefined;
  afterEach(() => {
    process.env.PATH = savedPath;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return (body) => {
    dir = mkdtempSync(join(tmpdir(), 'getent-'));
    writeFileSync(join(dir, 'getent'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    process.env.PATH = `${dir}:${savedPath}`;
    return dir;
  };
}
