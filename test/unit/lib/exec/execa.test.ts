// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { loadExeca } from '../../../../lib/exec/execa.js';

describe('loadExeca', () => {
  it('outside the single executable, imports execa once and runs programs with it', async () => {
    const first = loadExeca();
    expect(loadExeca()).toBe(first);
    const execa = await first;
    const r = await execa('/bin/echo', ['hello'], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('hello');
  });
});
