// SPDX-License-Identifier: Apache-2.0
// The vm agent's answers when libvirt cannot answer, against a process that libvirt would have
// started (its command line is QEMU's), and which parameters each action checks.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
/** A process whose /proc/<pid>/cmdline is the one libvirt gives QEMU for domain vmq. */
function startQemuStandIn(): ChildProcess {
  qemu = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', '-name', 'guest=vmq,debug-threads=on', '-uuid', uuid], {
    argv0: '/usr/bin/qemu-system-x86_64',
    stdio: 'ignore',
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

  it('without a QEMU, a probe is 7 and a stop 0', async () => {
    expect((await runAction(agent, 'monitor', env(probe))).exitCode).toBe(7);
    expect((await runAction(agent, 'stop', env({}))).exitCode).toBe(0);
  });
});

describe('parameters checked per action', () => {
  it.each([
    ['snapshot', '/var/lib/snapshots', 'parameter snapshot is not supported'],
    ['backingfile', '/var/lib/base.qcow2', 'parameter backingfile is not supported'],
    ['stateless', 'true', 'parameter stateless=true is not supported'],
  ])('%s is refused with 6 by start, migrate_to and validate-all', async (param, value, reason) => {
    for (const action of ['start', 'migrate_to', 'validate-all']) {
      const r = await runAction(agent, action, env({ [`OCF_RESKEY_${param}`]: value }));
      expect(r.exitCode).toBe(6);
      expect(r.stderr).toContain(`ocf-exit-reason:${reason}`);
    }
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
