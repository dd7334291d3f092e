// SPDX-License-Identifier: Apache-2.0
// The vm agent's answers when libvirt cannot answer, against a process that libvirt would have
// started (its command line is QEMU's), and which parameters each action checks.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import vm from '../../../../agents/vm/index.js';
import { runAction } from '../../../../lib/ocf/dispatch.js';

const agent = vm;
const dir = mkdtempSync(join(tmpdir(), 'vm-per-action-'));
const uuid = '5e0c3e1a-7f7c-4d0e-9a53-2f4f0c1d7b11';
const config = join(dir, 'vmq.xml');
writeFileSync(config, `<domain type='qemu'>\n  <name>vmq</name>\n  <uuid>${uuid}</uuid>\n  <memory unit='MiB'>64</memory>\n</domain>\n`);
// libvirt is down: a socket nobody listens on
const noLibvirt = 'qemu+unix:///system?socket=/nonexistent/vm-unit/libvirt-sock';

const env = (extra: Record<string, string>) => ({
  OCF_RESOURCE_INSTANCE: 'vm1',
  HA_RSCTMP: dir,
  HA_logfacility: 'none',
  OCF_RESKEY_config: config,
  OCF_RESKEY_hypervisor: noLibvirt,
  OCF_RESKEY_CRM_meta_timeout: '4000',
  ...extra,
});
const probe = { OCF_RESKEY_CRM_meta_interval: '0' };
const recurring = { OCF_RESKEY_CRM_meta_interval: '10000' };

let qemu: ChildProcess | undefined;
/** A process whose /proc/<pid>/cmdline is the one libvirt gives QEMU for domain `name` (vmq). */
function startQemuStandIn(name = 'vmq', id = name === 'vmq' ? uuid : '0b2f6a3c-0000-4f5a-8b9c-0d1e2f3a4b5c', uid?: number): ChildProcess {
  // As another user, /bin/sh: this checkout's node may sit where that user cannot go.
  const [program, loop] =
    uid === undefined ? [process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--']] : ['/bin/sh', ['-c', 'while :; do sleep 1; done']];
  qemu = spawn(program, [...loop, '-name', `guest=${name},debug-threads=on`, '-uuid', id], {
    argv0: '/usr/bin/qemu-system-x86_64',
    stdio: 'ignore',
    ...(uid !== undefined ? { cwd: '/', uid, gid: uid } : {}),
  });
  return qemu;
}

const alive = (p: ChildProcess): boolean => {
  try {
    return !/^\S+ \(.*\) [ZX]/.test(readFileSync(`/proc/${p.pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const settle = () => new Promise((r) => setTimeout(r, 150));

afterEach(() => {
  qemu?.kill('SIGKILL');
  qemu = undefined;
});

describe("libvirt unreachable, the domain's QEMU alive in /proc", () => {
  it('a probe says running (0), a recurring monitor 0 with a WARNING within libvirt_outage_grace, then 1', async () => {
    startQemuStandIn();
    await settle();
    const p = await runAction(agent, 'monitor', env(probe));
    expect(p.exitCode).toBe(0);
    const m = await runAction(agent, 'monitor', env(recurring));
    expect(m.exitCode).toBe(0);
    expect(m.stderr).toMatch(
      new RegExp(
        String.raw`WARNING: cannot reach libvirt at .* for \d+ s; vmq's QEMU runs \(pid \d+\): ` +
          String.raw`reported running for up to 120 s \(libvirt_outage_grace\)`,
      ),
    );
    const late = await runAction(agent, 'monitor', env({ ...recurring, OCF_RESKEY_libvirt_outage_grace: '0' }));
    expect(late.exitCode).toBe(1);
    expect(late.stderr).toMatch(
      /ocf-exit-reason:cannot reach libvirt at .* to check vmq for \d+ s, longer than libvirt_outage_grace \(0 s\); its QEMU still runs/,
    );
  });

  it.each([
    ['migration_transport', 'bogus'],
    ['migration_user', 'Not A User'],
    ['snapshot', '/var/lib/snapshots'],
  ])('%s=%s does not make a recurring monitor fail, nor a stop return without looking', async (param, value) => {
    const standIn = startQemuStandIn();
    await settle();
    const m = await runAction(agent, 'monitor', env({ ...recurring, [`OCF_RESKEY_${param}`]: value }));
    expect(m.exitCode).toBe(0);
    const s = await runAction(agent, 'stop', env({ [`OCF_RESKEY_${param}`]: value }));
    expect(s.exitCode).toBe(0);
    expect(s.stderr).not.toContain('treating the resource as stopped');
    expect(s.stderr).toMatch(/killing its QEMU \(pid \d+\)/);
    expect(alive(standIn)).toBe(false);
  });

  it('stop asks libvirt again within its graceful share before killing QEMU', async () => {
    const standIn = startQemuStandIn();
    await settle();
    const s = await runAction(agent, 'stop', env({ OCF_RESKEY_CRM_meta_timeout: '10000' }));
    expect(s.exitCode).toBe(0);
    expect(s.stderr).toMatch(/libvirt does not answer .*: asking again for up to \d+ s before killing vmq's QEMU/);
    expect(alive(standIn)).toBe(false);
  });

  it("another domain's QEMU with vmq's UUID (a stale or copied XML) is not vmq's: probe 7, and stop leaves it running", async () => {
    const other = startQemuStandIn('vmother', uuid);
    await settle();
    expect((await runAction(agent, 'monitor', env(probe))).exitCode).toBe(7);
    const s = await runAction(agent, 'stop', env({}));
    expect(s.exitCode).toBe(0);
    expect(s.stderr).not.toContain('killing its QEMU');
    expect(alive(other)).toBe(true);
  });

  it("a local user's process that calls itself vmq's QEMU is not: probe 7, and stop leaves it running", async () => {
    const imitation = startQemuStandIn('vmq', uuid, 65534); // nobody
    await settle();
    expect((await runAction(agent, 'monitor', env(probe))).exitCode).toBe(7);
    const s = await runAction(agent, 'stop', env({}));
    expect(s.exitCode).toBe(0);
    expect(s.stderr).not.toContain('killing its QEMU');
    expect(alive(imitation)).toBe(true);
  });

  it('migrate_from asks libvirt again until its timeout, then says it timed out and that libvirt did not answer', async () => {
    const r = await runAction(agent, 'migrate_from', env({ OCF_RESKEY_CRM_meta_migrate_source: 'n1' }));
    expect(r.exitCode).toBe(1);
    expect(r.stderr.match(/WARNING: cannot reach libvirt at .*: asking again until the timeout/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/ocf-exit-reason:timed out waiting for vmq to arrive from n1: libvirt at \S+ does not answer \(/);
  });

  it('without a QEMU, a probe is 7 and a stop 0', async () => {
    expect((await runAction(agent, 'monitor', env(probe))).exitCode).toBe(7);
    expect((await runAction(agent, 'stop', env({}))).exitCode).toBe(0);
  });
});

describe('stop without the config file or a saved state (a guest migrated in from a node that has the file)', () => {
  const missing = { OCF_RESOURCE_INSTANCE: 'vmr:0', OCF_RESKEY_config: join(dir, 'absent', 'vmr.xml') };

  it('kills the QEMU of the domain named after the resource (1 if it cannot), never answering 0 without looking', async () => {
    const standIn = startQemuStandIn('vmr');
    await settle();
    const s = await runAction(agent, 'stop', env(missing));
    expect(s.exitCode).toBe(0);
    expect(s.stderr).toContain('stopping the domain named after the resource, vmr, if it runs here');
    expect(s.stderr).toMatch(/killing its QEMU \(pid \d+\)/);
    expect(s.stderr).not.toContain('treating the resource as stopped');
    expect(alive(standIn)).toBe(false);
  });

  it('a probe finds the running domain named after the resource too: 0, not 7 from the configuration alone', async () => {
    const standIn = startQemuStandIn('vmr');
    await settle();
    expect((await runAction(agent, 'monitor', env({ ...missing, ...probe }))).exitCode).toBe(0);
    // the guessed name is not saved as if start had given it
    expect(existsSync(join(dir, 'seapath-vm-vmr:0.json'))).toBe(false);
    const s = await runAction(agent, 'stop', env(missing));
    expect(s.exitCode).toBe(0);
    expect(s.stderr).toContain('stopping the domain named after the resource, vmr, if it runs here');
    expect(alive(standIn)).toBe(false);
    expect((await runAction(agent, 'monitor', env({ ...missing, ...probe }))).exitCode).toBe(7);
  });

  it('answers 0 when libvirt cannot tell and no QEMU of that name runs here, as VirtualDomain answers without the file', async () => {
    const s = await runAction(agent, 'stop', env({ ...missing, OCF_RESKEY_CRM_meta_timeout: '4000' }));
    expect(s.exitCode).toBe(0);
    expect(s.stderr).toContain('no QEMU process of it runs here: stopped');
  });

  it('migrate_from fails 5 saying the config is unreadable and what it knows of the arrived guest', async () => {
    const r = await runAction(agent, 'migrate_from', env({ ...missing, OCF_RESKEY_CRM_meta_migrate_source: 'n1' }));
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toContain(
      `ocf-exit-reason:cannot read config file ${missing.OCF_RESKEY_config}: ENOENT, so the domain name is unknown on this node: ` +
        'whether vmr arrived from n1 is unknown',
    );
  });
});

describe('stop while libvirt does not answer, with a hypervisor whose guests /proc cannot show', () => {
  it.each(['qemu+tcp://127.0.0.1:1/system', 'lxc:///', 'qemu://192.0.2.1/system'])(
    '%s: stop fails 1 even with no QEMU here, naming the hypervisor',
    async (hypervisor) => {
      const s = await runAction(agent, 'stop', env({ OCF_RESKEY_hypervisor: hypervisor, OCF_RESKEY_CRM_meta_timeout: '6000' }));
      expect(s.exitCode).toBe(1);
      expect(s.stderr).toContain(`${hypervisor} is not this node's own QEMU (qemu:///system or qemu:///session)`);
    },
    15_000,
  );

  const lxc = { OCF_RESKEY_hypervisor: 'lxc+unix:///system?socket=/nonexistent/vm-unit/libvirt-sock' };
  it("a probe and a recurring monitor fail 1, even with a QEMU of that name here: it is not the hypervisor's guest", async () => {
    startQemuStandIn();
    await settle();
    const m = await runAction(agent, 'monitor', env({ ...lxc, ...probe }));
    expect(m.exitCode).toBe(1);
    expect(m.stderr).toContain("is not this node's own QEMU, so its processes cannot tell whether the domain runs");
    expect((await runAction(agent, 'monitor', env({ ...lxc, ...recurring }))).exitCode).toBe(1);
  });

  it('where nothing on the node names the domain, a probe is 7 and a stop 0, as VirtualDomain without its file', async () => {
    const missing = { OCF_RESOURCE_INSTANCE: 'vmr', OCF_RESKEY_config: join(dir, 'absent', 'vmr.xml'), ...lxc };
    expect((await runAction(agent, 'monitor', env({ ...missing, ...probe }))).exitCode).toBe(7);
    const s = await runAction(agent, 'stop', env(missing));
    expect(s.exitCode).toBe(0);
    expect(s.stderr).toContain('cannot be asked');
    expect(s.stderr).toContain('considered stopped');
  });
});

describe('VirtualDomain booleans read as ocf_is_true reads them', () => {
  it.each([
    ['stateless', 'ja', 6],
    ['stateless', 'Yes', 0], // ocf_is_true: false
    ['stateless', 'maybe', 0],
  ])('%s=%s: validate-all exits %i', async (param, value, code) => {
    expect((await runAction(agent, 'validate-all', env({ [`OCF_RESKEY_${param}`]: value }))).exitCode).toBe(code);
  });

  it('seapath=On is false, as stock reads it: config is then required', async () => {
    const r = await runAction(agent, 'validate-all', env({ OCF_RESKEY_seapath: 'On', OCF_RESKEY_config: '' }));
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain('ocf-exit-reason:parameter config is not set');
  });

  it('check_image_in_use, the guard of this agent, stays strict: a typo is 6, not "off"', async () => {
    const r = await runAction(agent, 'validate-all', env({ OCF_RESKEY_check_image_in_use: 'ture' }));
    expect(r.exitCode).toBe(6);
  });
});

describe('parameters checked per action', () => {
  it.each([
    ['snapshot', '/var/lib/snapshots', 'parameter snapshot is not supported'],
    ['backingfile', '/var/lib/base.qcow2', 'parameter backingfile is not supported'],
    ['stateless', 'true', 'parameter stateless=true is not supported'],
  ])(
    '%s is refused with 6 by start and validate-all, not by migrate_to (6 would stop a running VM everywhere)',
    async (param, value, reason) => {
      for (const action of ['start', 'validate-all']) {
        const r = await runAction(agent, action, env({ [`OCF_RESKEY_${param}`]: value }));
        expect(r.exitCode).toBe(6);
        expect(r.stderr).toContain(`ocf-exit-reason:${reason}`);
      }
      const m = await runAction(agent, 'migrate_to', env({ [`OCF_RESKEY_${param}`]: value, OCF_RESKEY_CRM_meta_migrate_target: 'n2' }));
      expect(m.exitCode).toBe(1);
      expect(m.stderr).not.toContain(reason);
    },
  );

  it('validate-all at level 10 warns about each disk check_image_in_use does not check', async () => {
    const volumes = join(dir, 'volumes.xml');
    writeFileSync(
      volumes,
      "<domain type='qemu'><name>vmv</name><devices>" +
        "<disk type='volume' device='disk'><source pool='ceph' volume='vmv-root'/><target dev='vda'/></disk>" +
        "<disk type='block' device='disk'><source dev='/dev/rbd0'/><target dev='vdb'/></disk>" +
        "<disk type='block' device='disk'><source dev='/dev/rbd/rbd/vmv-data'/><target dev='vdc'/></disk>" +
        '</devices></domain>\n',
    );
    const r = await runAction(agent, 'validate-all', env({ OCF_RESKEY_config: volumes, OCF_CHECK_LEVEL: '10' }));
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('WARNING: check_image_in_use cannot check volume vmv-root of pool ceph (vda) of vmv');
    expect(r.stderr).toContain('WARNING: check_image_in_use cannot check block device /dev/rbd0 (vdb) of vmv');
    expect(r.stderr).toContain('WARNING: check_image_in_use cannot check block device /dev/rbd/rbd/vmv-data (vdc) of vmv');
  });

  it('copyindirs is accepted with a WARNING naming it', async () => {
    const r = await runAction(agent, 'validate-all', env({ OCF_RESKEY_copyindirs: '/srv/in' }));
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('WARNING: parameter copyindirs has no effect');
  });

  it("a local XML that is not a domain is this node's problem (5), for start and validate-all at level 10", async () => {
    const bad = join(dir, 'bad.xml');
    writeFileSync(bad, 'this is not XML <');
    for (const [action, extra] of [
      ['start', {}],
      ['validate-all', { OCF_CHECK_LEVEL: '10' }],
    ] as const) {
      const r = await runAction(agent, action, env({ OCF_RESKEY_config: bad, ...extra }));
      expect(r.exitCode).toBe(5);
      expect(r.stderr).toContain(`ocf-exit-reason:the domain XML in ${bad} is unusable on this node: not well-formed XML`);
    }
  });
});
