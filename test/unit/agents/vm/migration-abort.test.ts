// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { abortUntilEnded, whereAfterTimeout, type MigrationOutcome } from '../../../../agents/vm/migration-abort.js';
import { Virsh } from '../../../../agents/vm/virsh.js';
import { ExecFailed, type Argv, type RunResult } from '../../../../lib/exec/index.js';
import { Deadline } from '../../../../lib/time/index.js';

const noJob = 'error: Requested operation is not valid: no job is active on the domain\n';
const pending = new Promise<MigrationOutcome>(() => {});

/** A Virsh whose domjobabort fails with "no job" `misses` times, then succeeds; counts its calls. */
function abortingVirsh(misses: number): { virsh: Virsh; calls: () => number } {
  let calls = 0;
  const virsh = new Virsh('qemu:///system', async (argv: Argv): Promise<RunResult> => {
    expect(argv.slice(1)).toEqual(['domjobabort', '--', 'vm1']);
    calls += 1;
    if (calls <= misses) throw new ExecFailed(argv, 1, noJob, false);
    return { exitCode: 0, stdout: '', stderr: '' };
  });
  return { virsh, calls: () => calls };
}

describe('abortUntilEnded', () => {
  it('asks again while libvirt has no job yet (virsh still connecting), and says so once the abort lands', async () => {
    const { virsh, calls } = abortingVirsh(2);
    expect(await abortUntilEnded(virsh, 'vm1', pending, Deadline.after(5000))).toBe('it was aborted');
    expect(calls()).toBe(3);
  });

  it('stops asking once the migration has ended, and gives the last refusal', async () => {
    const { virsh, calls } = abortingVirsh(Number.POSITIVE_INFINITY);
    const ended = Promise.resolve<MigrationOutcome>({ failed: false });
    expect(await abortUntilEnded(virsh, 'vm1', ended, Deadline.after(5000))).toBe(
      'aborting it failed (virsh domjobabort exited 1: error: Requested operation is not valid: no job is active on the domain)',
    );
    expect(calls()).toBe(1);
  });

  it("gives up at virsh's deadline when libvirt never has a job to abort", async () => {
    const { virsh, calls } = abortingVirsh(Number.POSITIVE_INFINITY);
    const began = performance.now();
    expect(await abortUntilEnded(virsh, 'vm1', pending, Deadline.after(700))).toMatch(/^aborting it failed \(/);
    expect(performance.now() - began).toBeGreaterThanOrEqual(650);
    expect(performance.now() - began).toBeLessThan(1500);
    expect(calls()).toBeGreaterThanOrEqual(2);
  });
});

describe('whereAfterTimeout', () => {
  const answering = (stdout: string, stderr = '', exitCode = 0): Virsh =>
    new Virsh('qemu:///system', async (argv: Argv): Promise<RunResult> => {
      if (exitCode !== 0 && exitCode !== 1) throw new ExecFailed(argv, exitCode, stderr, false);
      return { exitCode, stdout, stderr };
    });

  it.each([
    ['running (migration canceled)\n', '', 0, 'vm1 runs on here'],
    ['', "error: failed to get domain 'vm1'\n", 1, 'vm1 no longer runs here, so it may have reached b'],
    ['paused (migrating)\n', '', 0, 'vm1 is paused (migrating) here'],
    [
      '',
      'error: failed to connect to the hypervisor\n',
      1,
      'whether vm1 still runs here is unknown (error: failed to connect to the hypervisor)',
    ],
  ])('domstate %j %j → %s', async (stdout, stderr, exitCode, where) => {
    expect(await whereAfterTimeout(answering(stdout, stderr, exitCode), 'vm1', 'b', Deadline.after(1000))).toBe(where);
  });
});
