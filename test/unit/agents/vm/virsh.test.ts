// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { Virsh, isIncomingMigration, isNotDefined, parseDomstate, parseJobType } from '../../../../agents/vm/virsh.js';
import { ExecFailed, run, type Argv } from '../../../../lib/exec/index.js';
import { Deadline } from '../../../../lib/time/index.js';

const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' });
const failed = (stderr: string) => ({ exitCode: 1, stdout: '', stderr });

describe('parseDomstate', () => {
  it.each([
    ['running (booted)\n\n', 'active', 'running', 'booted'],
    ['paused (user)\n', 'active', 'paused', 'user'],
    ['in shutdown (user)\n', 'active', 'in shutdown', 'user'],
    ['idle\n', 'active', 'idle', ''],
    ['shut off (destroyed)\n', 'inactive', 'shut off', 'destroyed'],
    ['crashed (panicked)\n', 'abnormal', 'crashed', 'panicked'],
    ['pmsuspended (unknown)\n', 'abnormal', 'pmsuspended', 'unknown'],
    ['no state\n', 'abnormal', 'no state', ''],
    ['', 'abnormal', 'no answer', ''],
  ])('%j is %s', (stdout, kind, state, reason) => {
    expect(parseDomstate(ok(stdout))).toEqual({ kind, state, reason });
  });

  it.each([
    "error: failed to get domain 'vm1'\n",
    "error: failed to get domain 'vm1'\nerror: Domain not found: no domain with matching name 'vm1'\n",
  ])('a domain libvirt does not know is inactive, and not defined: %j', (stderr) => {
    const s = parseDomstate(failed(stderr));
    expect(s).toMatchObject({ kind: 'inactive' });
    expect(isNotDefined(s)).toBe(true);
  });

  it.each(['shut off (destroyed)\n', 'running (booted)\n'])('a domain libvirt knows is defined, whatever its state: %j', (stdout) => {
    expect(isNotDefined(parseDomstate(ok(stdout)))).toBe(false);
  });

  it('libvirt not answering is not "not defined"', () => {
    expect(isNotDefined(parseDomstate(failed('error: failed to connect to the hypervisor\n')))).toBe(false);
  });

  it.each([
    "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or " +
      'directory\n',
    'error: internal error: client socket is closed\n',
    '',
  ])('any other error means libvirt did not answer: %j', (stderr) => {
    const s = parseDomstate(failed(stderr));
    expect(s.kind).toBe('unreachable');
  });

  it('keeps the last lines of the error as the detail', () => {
    expect(
      parseDomstate(failed("error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/x': Connection refused\n")),
    ).toEqual({
      kind: 'unreachable',
      detail: "error: failed to connect to the hypervisor / error: Failed to connect socket to '/x': Connection refused",
    });
  });
});

describe('isIncomingMigration', () => {
  it.each([
    ['paused (migrating)\n', true],
    ['paused (migration)\n', false], // not a word virsh prints
    ['paused (starting up)\n', true],
    ['paused (user)\n', false],
    ['running (migrated)\n', false],
    ['shut off\n', false],
  ])('%j → %s', (stdout, expected) => {
    expect(isIncomingMigration(parseDomstate(ok(stdout)))).toBe(expected);
  });
});

describe('parseJobType', () => {
  it.each([
    ['Job type:         Unbounded   \nOperation:        Outgoing migration\n', 'unbounded'],
    ['Job type:         None        \n', 'none'],
    ['', 'none'],
  ])('%j → %s', (stdout, expected) => {
    expect(parseJobType(stdout)).toBe(expected);
  });
});

it("names the hypervisor in both of virsh's URI variables: an inherited VIRSH_DEFAULT_CONNECT_URI would win", async () => {
  const envs: (Readonly<Record<string, string | undefined>> | undefined)[] = [];
  const virsh = new Virsh('qemu+tcp://192.0.2.7/system', async (_argv, options) => {
    envs.push(options.env);
    return ok('running (booted)\n');
  });
  await virsh.domstate('vm1', Deadline.after(1000));
  expect(envs).toEqual([{ LIBVIRT_DEFAULT_URI: 'qemu+tcp://192.0.2.7/system', VIRSH_DEFAULT_CONNECT_URI: 'qemu+tcp://192.0.2.7/system' }]);
});

it("a domain name that begins with '-' is a name, not an option naming another domain (real virsh, libvirt's test driver)", async () => {
  // test:///default holds one running domain, "test"; without `--` virsh reads "--domain=test" as the option.
  const virsh = new Virsh('test:///default', run);
  expect((await virsh.domstate('test', Deadline.after(10_000))).kind).toBe('active');
  const dashed = await virsh.domstate('--domain=test', Deadline.after(10_000));
  expect(isNotDefined(dashed)).toBe(true);
  await expect(virsh.destroy('--domain=test', Deadline.after(10_000))).resolves.toBeUndefined();
  expect(
    virsh.migrateArgv('--domain=test', {
      extraOptions: ['--verbose'],
      bandwidthMiBs: 0,
      remoteUri: 'qemu+ssh://n2/system',
      migrateUri: undefined,
    }),
  ).toEqual(['virsh', 'migrate', '--live', '--undefinesource', '--verbose', '--', '--domain=test', 'qemu+ssh://n2/system']);
});

describe('Virsh.domainNames', () => {
  it('lists running and defined domains, one per line, and asks for both', async () => {
    const asked: Argv[] = [];
    const virsh = new Virsh('qemu:///system', async (argv) => {
      asked.push(argv);
      return ok('vm1\ntest0\n\n');
    });
    expect(await virsh.domainNames(Deadline.after(1000))).toEqual(['vm1', 'test0']);
    expect(asked[0]?.slice(-3)).toEqual(['list', '--all', '--name']);
  });

  it('is empty when libvirt knows no domain, and undefined when libvirt does not answer', async () => {
    expect(await new Virsh('qemu:///system', async () => ok('\n')).domainNames(Deadline.after(1000))).toEqual([]);
    const down = new Virsh('qemu:///system', async (argv) => {
      throw new ExecFailed(argv, 1, 'error: failed to connect to the hypervisor\n', false);
    });
    expect(await down.domainNames(Deadline.after(1000))).toBeUndefined();
  });
});
