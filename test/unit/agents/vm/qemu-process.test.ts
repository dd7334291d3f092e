// SPDX-License-Identifier: Apache-2.0
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAllQemuProcesses, findQemuProcesses, isQemuOf, qemuOptionValues } from '../../../../agents/vm/qemu-process.js';

// What libvirt 9 gives QEMU 7.2 (trimmed).
const libvirtQemu = [
  '/usr/bin/qemu-system-x86_64',
  '-name',
  'guest=vm1,debug-threads=on',
  '-S',
  '-machine',
  'pc-i440fx-7.2,usb=off',
  '-accel',
  'tcg',
  '-m',
  '128',
  '-uuid',
  '0b2f6a3c-1d4e-4f5a-8b9c-0d1e2f3a4b5c',
  '-no-user-config',
];

describe('isQemuOf', () => {
  it.each([
    [{ name: 'vm1', uuid: '0B2F6A3C-1D4E-4F5A-8B9C-0D1E2F3A4B5C' }, true],
    // another domain with the same uuid (a stale or copied XML, another host's domain): never this one's QEMU
    [{ name: 'other', uuid: '0b2f6a3c-1d4e-4f5a-8b9c-0d1e2f3a4b5c' }, false],
    [{ name: 'vm1', uuid: 'ffffffff-1d4e-4f5a-8b9c-0d1e2f3a4b5c' }, true], // guest=<name> decides: a recreated domain may have a new uuid
    [{ name: 'vm2', uuid: 'ffffffff-1d4e-4f5a-8b9c-0d1e2f3a4b5c' }, false],
    [{ name: 'vm1' }, true],
    [{ name: 'vm' }, false],
    [{ name: 'vm10' }, false],
  ])('libvirt QEMU of vm1 matches %o: %s', (domain, expected) => {
    expect(isQemuOf(libvirtQemu, domain)).toBe(expected);
  });

  it('goes by -uuid only for a QEMU given no -name', () => {
    const unnamed = libvirtQemu.filter((_, i) => i !== 1 && i !== 2);
    expect(isQemuOf(unnamed, { name: 'vm1', uuid: '0b2f6a3c-1d4e-4f5a-8b9c-0d1e2f3a4b5c' })).toBe(true);
    expect(isQemuOf(unnamed, { name: 'vm1', uuid: 'ffffffff-1d4e-4f5a-8b9c-0d1e2f3a4b5c' })).toBe(false);
    expect(isQemuOf(unnamed, { name: 'vm1' })).toBe(false);
  });

  it('recognises the older `-name <name>` form, and only QEMU binaries', () => {
    expect(isQemuOf(['qemu-kvm', '-name', 'vm1'], { name: 'vm1' })).toBe(true);
    expect(isQemuOf(['/bin/sleep', '-name', 'guest=vm1'], { name: 'vm1' })).toBe(false);
  });

  it('reads a comma in the domain name as libvirt escapes it (`,,`), and never matches a name that is only a prefix', () => {
    const dbComma = ['qemu-system-x86_64', '-name', 'guest=db,,1,debug-threads=on'];
    expect(isQemuOf(dbComma, { name: 'db,1' })).toBe(true);
    expect(isQemuOf(dbComma, { name: 'db' })).toBe(false);
    expect(isQemuOf(['qemu-system-x86_64', '-name', 'guest=db,debug-threads=on'], { name: 'db,1' })).toBe(false);
    expect(qemuOptionValues('guest=a,,b,,,,c,debug-threads=on')).toEqual(['guest=a,b,,c', 'debug-threads=on']);
  });

  it('finds nothing for a domain that runs nowhere', () => {
    expect(findQemuProcesses({ name: 'vm-unit-test-none', uuid: '00000000-0000-0000-0000-000000000000' })).toEqual([]);
  });

  it("fails closed: a QEMU whose network namespace cannot be read counts as this node's; one in another namespace does not", () => {
    // A /proc laid out as the kernel does: <pid>/cmdline, <pid>/stat, <pid>/ns/net (a symlink).
    const proc = mkdtempSync(join(tmpdir(), 'vm-proc-'));
    const task = (pid: string, net: string | undefined): void => {
      mkdirSync(join(proc, pid, 'ns'), { recursive: true });
      if (net !== undefined) symlinkSync(net, join(proc, pid, 'ns', 'net'));
      if (pid === 'self') return;
      writeFileSync(join(proc, pid, 'cmdline'), `${libvirtQemu.join('\0')}\0`);
      writeFileSync(join(proc, pid, 'stat'), `${pid} (qemu-system-x86) S ${Array.from({ length: 20 }, (_, i) => i + 4).join(' ')}\n`);
    };
    task('self', 'net:[4026531840]');
    task('101', 'net:[4026531840]'); // this node's
    task('102', 'net:[4026532999]'); // another lab node's
    task('103', undefined); // unreadable namespace
    const pids = findQemuProcesses({ name: 'vm1' }, proc)
      .map((q) => q.pid)
      .sort();
    expect(pids).toEqual([101, 103]);
    // any QEMU, whatever its domain, by the same rules; other programs are not QEMU
    task('104', 'net:[4026531840]');
    writeFileSync(join(proc, '104', 'cmdline'), `${['qemu-system-x86_64', '-name', 'guest=other'].join('\0')}\0`);
    task('105', 'net:[4026531840]');
    writeFileSync(join(proc, '105', 'cmdline'), `${['/bin/sleep', '-name', 'guest=vm1'].join('\0')}\0`);
    expect(
      findAllQemuProcesses(proc)
        .map((q) => q.pid)
        .sort(),
    ).toEqual([101, 103, 104]);
  });

  it('tells namespaces apart by their net/dev entry when ns/net needs ptrace rights the agent lacks', () => {
    // Under a bounding set without cap_sys_ptrace, QEMU's ns/net cannot be read; its net/dev can.
    const proc = mkdtempSync(join(tmpdir(), 'vm-proc-'));
    const shared = join(proc, 'netdev-ours');
    writeFileSync(shared, '');
    const task = (pid: string, netDev: 'ours' | 'other' | undefined): void => {
      mkdirSync(join(proc, pid, 'net'), { recursive: true });
      if (netDev === 'ours') symlinkSync(shared, join(proc, pid, 'net', 'dev'));
      if (netDev === 'other') writeFileSync(join(proc, pid, 'net', 'dev'), '');
      if (pid === 'self') return;
      writeFileSync(join(proc, pid, 'cmdline'), `${libvirtQemu.join('\0')}\0`);
      writeFileSync(join(proc, pid, 'stat'), `${pid} (qemu-system-x86) S ${Array.from({ length: 20 }, (_, i) => i + 4).join(' ')}\n`);
    };
    task('self', 'ours');
    task('201', 'ours'); // this node's
    task('202', 'other'); // another lab node's
    task('203', undefined); // nothing readable: counts as this node's
    const pids = findQemuProcesses({ name: 'vm1' }, proc)
      .map((q) => q.pid)
      .sort();
    expect(pids).toEqual([201, 203]);
  });

  it("counts only root's and libvirt's QEMU user's processes: another user's imitation is not the domain's QEMU", () => {
    const proc = mkdtempSync(join(tmpdir(), 'vm-proc-'));
    const etc = mkdtempSync(join(tmpdir(), 'vm-etc-'));
    const users = { qemuConf: join(etc, 'qemu.conf'), passwd: join(etc, 'passwd') };
    writeFileSync(
      users.passwd,
      'root:x:0:0::/root:/bin/bash\nlibvirt-qemu:x:64055:108::/var/lib/libvirt:/usr/sbin/nologin\nqemu:x:107:107::/:/sbin/nologin\n',
    );
    const task = (pid: string, uid: number | undefined): void => {
      mkdirSync(join(proc, pid), { recursive: true });
      writeFileSync(join(proc, pid, 'cmdline'), `${libvirtQemu.join('\0')}\0`);
      writeFileSync(join(proc, pid, 'stat'), `${pid} (qemu-system-x86) S ${Array.from({ length: 20 }, (_, i) => i + 4).join(' ')}\n`);
      if (uid !== undefined) writeFileSync(join(proc, pid, 'status'), `Name:\tqemu-system-x86\nUid:\t${uid}\t0\t0\t0\n`);
    };
    task('301', 0);
    task('302', 64055); // Debian's libvirt-qemu, qemu.conf naming no user
    task('303', 1000); // a local user's process named after the domain
    task('304', 65534);
    task('305', undefined); // no status to read: counts, as a QEMU missed is a VM run twice
    task('306', 107);
    const found = (): number[] =>
      findQemuProcesses({ name: 'vm1' }, proc, users)
        .map((q) => q.pid)
        .sort();
    expect(found()).toEqual([301, 302, 305]);
    writeFileSync(users.qemuConf, '# user = "root"\nuser = "qemu"\ngroup = "qemu"\n');
    expect(found()).toEqual([301, 305, 306]);
    writeFileSync(users.qemuConf, 'user = "+1000"\n');
    expect(found()).toEqual([301, 303, 305]);
  });
});
