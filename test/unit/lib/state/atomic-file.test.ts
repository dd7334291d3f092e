// SPDX-License-Identifier: Apache-2.0
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../../../lib/state/index.js';

describe('writeFileAtomically', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('replaces the file whole, mode 0600, and leaves nothing beside it', () => {
    const dir = tempDir();
    const path = join(dir, 'sub', 'vm1.xml');
    writeFileAtomically(path, 'one\n');
    writeFileAtomically(path, 'two\n');
    expect(readFileSync(path, 'utf8')).toBe('two\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['vm1.xml']);
  });

  it('replaces a symbolic link at the path instead of writing through it', () => {
    const dir = tempDir();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'untouched\n');
    const path = join(dir, 'vm1.xml');
    symlinkSync(victim, path);
    writeFileAtomically(path, '<domain/>\n');
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('<domain/>\n');
  });
});
