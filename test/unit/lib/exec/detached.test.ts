// SPDX-License-Identifier: Apache-2.0
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnDetached } from '../../../../lib/exec/index.js';
import { Deadline, waitUntil } from '../../../../lib/time/index.js';

const dir = mkdtempSync(join(tmpdir(), 'detached-'));

describe('spawnDetached', () => {
  it('starts the program in its own process group and feeds it what is written to stdin', async () => {
    const out = join(dir, 'out');
    const child = spawnDetached(['sh', '-c', `cat > ${out}.tmp && mv ${out}.tmp ${out}`], { stdin: 'pipe' });
    expect(child.pid).toBeGreaterThan(0);
    // /proc/PID/stat: pid (comm) state ppid pgrp ...
    const pgrp = Number(readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);
    expect(pgrp).toBe(child.pid);
    child.stdin?.end('a line\n');
    await waitUntil('the child to write its output', async () => existsSync(out), Deadline.after(5000), 20);
    expect(readFileSync(out, 'utf8')).toBe('a line\n');
  });

  it('without a pipe, gives the program no stdin', () => {
    const child = spawnDetached(['true']);
    expect(child.pid).toBeGreaterThan(0);
    expect(child.stdin).toBeUndefined();
  });

  it('reports a program that cannot be started through onError, never by throwing', async () => {
    let failed = false;
    spawnDetached(['no-such-program-xyz'], { onError: () => (failed = true) });
    await waitUntil('the spawn error', async () => failed, Deadline.after(5000), 20);
    expect(failed).toBe(true);
  });
});
