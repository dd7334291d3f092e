// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecFailed, killLiveChildren, query, run, which } from '../../../../lib/exec/index.js';
import { Deadline } from '../../../../lib/time/index.js';

// Gone, or a zombie that init has not reaped yet (this machine's PID 1 reaps slowly): it runs nothing.
function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true;
  }
}

describe.each([
  ['run', run],
  ['query', query],
])('%s', (_name, exec) => {
  it('returns stdout of a program given as an argument array', async () => {
    const r = await exec(['printf', '%s|', 'a b', '$HOME'], { deadline: Deadline.after(5000) });
    expect(r.stdout).toBe('a b|$HOME|');
  });

  it('fails with the program, exit code and last stderr lines', async () => {
    const err = await exec(['sh', '-c', 'echo first >&2; echo boom >&2; exit 3'], { deadline: Deadline.after(5000) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExecFailed);
    expect((err as ExecFailed).exitCode).toBe(3);
    expect((err as ExecFailed).message).toBe('sh -c exited 3: first / boom');
  });

  it('accepts exit codes declared as answers', async () => {
    expect((await exec(['sh', '-c', 'exit 1'], { deadline: Deadline.after(5000), okExitCodes: [1] })).exitCode).toBe(1);
  });

  it('kills a program that outlives the deadline', async () => {
    const began = Date.now();
    const err = await exec(['sleep', '30'], { deadline: Deadline.after(300) }).catch((e: unknown) => e);
    expect((err as ExecFailed).timedOut).toBe(true);
    expect(Date.now() - began).toBeLessThan(2000);
  });

  it('kills with SIGKILL at the deadline: a program that ignores SIGTERM does not run on', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'exec-')), 'pid');
    const began = Date.now();
    const err = await exec(['bash', '-c', `trap '' TERM; echo $$ > ${pidFile}; while :; do sleep 0.1; done`], {
      deadline: Deadline.after(500),
    }).catch((e: unknown) => e);
    expect((err as ExecFailed).timedOut).toBe(true);
    expect(Date.now() - began).toBeLessThan(2000);
    expect(existsSync(`/proc/${readFileSync(pidFile, 'utf8').trim()}`)).toBe(false);
  });

  it("kills what the program started too: a script's child holding its output pipe does not keep the call pending nor run on", async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'exec-')), 'pid');
    const began = Date.now();
    // sh waits for sleep, which holds sh's stdout: killing sh alone would leave the call pending for 30 s
    const err = await exec(['sh', '-c', `sleep 30 & echo $! > ${pidFile}; wait`], { deadline: Deadline.after(500) }).catch(
      (e: unknown) => e,
    );
    expect((err as ExecFailed).timedOut).toBe(true);
    expect(Date.now() - began).toBeLessThan(3000);
    expect(isGone(Number(readFileSync(pidFile, 'utf8').trim()))).toBe(true);
  });

  it('leaves no child running once the agent exits (killLiveChildren, called by the exit)', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'exec-')), 'pid');
    const pending = exec(['bash', '-c', `echo $$ > ${pidFile}; exec sleep 30`], { deadline: Deadline.after(30_000) }).catch(
      (e: unknown) => e,
    );
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8') === '') await new Promise((r) => setTimeout(r, 20));
    killLiveChildren();
    expect(await pending).toBeInstanceOf(ExecFailed);
    expect(existsSync(`/proc/${readFileSync(pidFile, 'utf8').trim()}`)).toBe(false);
  });

  it('reports a missing program as not installed', async () => {
    const err = await exec(['no-such-program-xyz'], { deadline: Deadline.after(5000) }).catch((e: unknown) => e);
    expect((err as ExecFailed).notFound).toBe(true);
    expect((err as ExecFailed).message).toBe('no-such-program-xyz is not installed or not in PATH');
  });

  it('reports a program that cannot be executed (no x bit, /dev/null mounted over it) as not installed, spawning nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'exec-')), 'ip');
    writeFileSync(file, '#!/bin/sh\necho ran\n', { mode: 0o644 });
    const err = await exec([file], { deadline: Deadline.after(5000) }).catch((e: unknown) => e);
    expect((err as ExecFailed).notFound).toBe(true);
  });

  it('feeds input on stdin', async () => {
    expect((await exec(['cat'], { deadline: Deadline.after(5000), input: 'secret' })).stdout).toBe('secret');
  });

  it('answers by the exit status when the program exits without reading its input (EPIPE)', async () => {
    const err = await exec(['sh', '-c', 'exit 2'], { deadline: Deadline.after(5000), input: 'x'.repeat(4_000_000) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExecFailed);
    expect((err as ExecFailed).exitCode).toBe(2);
  });
});

// run (execa, vip's address changes only) keeps execa's own limit.
describe('query', () => {
  it('kills with SIGKILL a program whose output passes its limit: one that ignores SIGTERM does not run on', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'exec-')), 'pid');
    const err = await query(['bash', '-c', `trap '' TERM; echo $$ > ${pidFile}; head -c 20000000 /dev/zero; sleep 30`], {
      deadline: Deadline.after(20_000),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecFailed);
    // Killed at the limit, not at the deadline, and said so.
    expect((err as ExecFailed).timedOut).toBe(false);
    expect((err as ExecFailed).outputTooLarge).toBe(true);
    expect((err as ExecFailed).message).toBe('bash -c wrote more than 16 MiB of output and was killed');
    expect(existsSync(`/proc/${readFileSync(pidFile, 'utf8').trim()}`)).toBe(false);
  });
});

describe('which', () => {
  it('finds programs without spawning and misses absent ones', () => {
    expect(which('sh')).toMatch(/\/sh$/);
    expect(which('no-such-program-xyz')).toBeUndefined();
  });
});

describe.each([
  ['run', run],
  ['query', query],
])('%s outside PATH', (_name, exec) => {
  it('spawns the program where which found it, even in a directory PATH lacks', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(which('true')).toMatch(/^\/.*\/true$/);
      expect((await exec(['true'], { deadline: Deadline.after(5000) })).exitCode).toBe(0);
    } finally {
      process.env.PATH = saved;
    }
  });
});
