// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../../../lib/ocf/dispatch.js';
import vm, { virtualDomain } from '../../../../agents/vm/index.js';

const agent = vm;
const dir = mkdtempSync(join(tmpdir(), 'vm-agent-'));
const config = join(dir, 'vmunit.xml');
writeFileSync(config, '<domain type="qemu"><name>vmunit</name></domain>\n');
const env = (extra: Record<string, string>) => ({
  OCF_RESOURCE_INSTANCE: 'vmunit',
  HA_RSCTMP: '/tmp/vm-unit-rsctmp',
  HA_logfacility: 'none',
  ...extra,
});

describe('vm agent: what the kit derives from its spec', () => {
  it('prints meta-data under the name it was invoked as', async () => {
    expect((await runAction(agent, 'meta-data', {})).stdout).toContain('<resource-agent name="vm"');
    expect((await runAction(virtualDomain, 'meta-data', {})).stdout).toContain('<resource-agent name="VirtualDomain"');
  });

  it('advertises live migration and VirtualDomain parameter names', async () => {
    const xml = (await runAction(agent, 'meta-data', {})).stdout;
    for (const name of ['migrate_to', 'migrate_from']) expect(xml).toContain(`<action name="${name}"`);
    for (const name of [
      'config',
      'hypervisor',
      'seapath',
      'force_stop',
      'migration_transport',
      'migration_user',
      'migration_downtime',
      'migration_speed',
      'migrateuri',
      'migration_network_suffix',
      'autoset_utilization_cpu',
      'autoset_utilization_hv_memory',
      'pool',
      'check_image_in_use',
    ])
      expect(xml).toContain(`<parameter name="${name}"`);
  });

  it.each([
    ['start', {}, 6],
    ['validate-all', {}, 6],
    ['stop', {}, 0],
    ['monitor', { OCF_RESKEY_CRM_meta_interval: '0' }, 7],
    ['monitor', { OCF_RESKEY_CRM_meta_interval: '10000' }, 1],
  ])('without config and seapath=false, %s %o exits %i', async (action, extra, code) => {
    const r = await runAction(agent, action, env(extra));
    expect(r.exitCode).toBe(code);
    if (code === 6 || code === 1) expect(r.stderr).toContain('ocf-exit-reason:parameter config is not set');
  });

  it.each([
    ['migration_user', 'Root User', "parameter migration_user must be a user name (^[A-Za-z_][A-Za-z0-9._-]*\\$?$), got 'Root User'"],
    ['migration_transport', 'sssh', "parameter migration_transport must be one of ssh, libssh, libssh2, tcp, tls, unix, ext, got 'sssh'"],
  ])('refuses %s=%s with 6 in validate-all; start warns; migrate_to fails 1', async (param, value, reason) => {
    const r = await runAction(agent, 'validate-all', env({ OCF_RESKEY_config: config, [`OCF_RESKEY_${param}`]: value }));
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain(`ocf-exit-reason:${reason}`);
    const s = await runAction(agent, 'start', env({ OCF_RESKEY_config: config, [`OCF_RESKEY_${param}`]: value }));
    expect(s.stderr).toContain(`WARNING: ${reason}: the VM starts, but every live migration of it will fail`);
    expect(s.stderr).not.toContain(`ocf-exit-reason:${reason}`);
    // A reloadable setting changed under a running VM: 6 would stop it on every node.
    const m = await runAction(
      agent,
      'migrate_to',
      env({ OCF_RESKEY_config: config, OCF_RESKEY_CRM_meta_migrate_target: 'n2', [`OCF_RESKEY_${param}`]: value }),
    );
    expect(m.exitCode).toBe(1);
    expect(m.stderr).toContain(`ocf-exit-reason:cannot migrate vmunit to n2: ${reason}`);
  });

  it.each([
    ['migration_transport', 'libssh2'],
    ['migration_user', 'virt_user'],
  ])('accepts %s=%s, which libvirt and useradd accept', async (param, value) => {
    const r = await runAction(agent, 'validate-all', env({ OCF_RESKEY_config: config, [`OCF_RESKEY_${param}`]: value }));
    expect(r.exitCode).toBe(0);
  });

  it('validate-all at level 0 answers 5 when config is missing or names no domain, as VirtualDomain', async () => {
    const missing = await runAction(agent, 'validate-all', env({ OCF_RESKEY_config: join(dir, 'absent.xml') }));
    expect(missing.exitCode).toBe(5);
    expect(missing.stderr).toContain(`ocf-exit-reason:config file ${join(dir, 'absent.xml')} does not exist on this node`);
    const nameless = join(dir, 'nameless.xml');
    writeFileSync(nameless, '<domain type="qemu"></domain>\n');
    const r = await runAction(agent, 'validate-all', env({ OCF_RESKEY_config: nameless }));
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toContain(`ocf-exit-reason:config file ${nameless} names no domain`);
  });

  it('validates a SEAPATH definition at level 0 without touching the node', async () => {
    const r = await runAction(
      agent,
      'validate-all',
      env({
        OCF_RESKEY_config: '/etc/pacemaker/vmunit.xml',
        OCF_RESKEY_seapath: 'true',
        OCF_RESKEY_hypervisor: 'qemu:///system',
        OCF_RESKEY_force_stop: 'false',
        OCF_RESKEY_migration_transport: 'ssh',
        OCF_RESKEY_migration_user: 'root',
        OCF_RESKEY_migration_downtime: '0',
      }),
    );
    expect(r.exitCode).toBe(0);
  });
});

describe('vm agent meta-data', () => {
  it('declares every VirtualDomain parameter (resource-agents 4.12), so none is silently ignored', async () => {
    const xml = (await runAction(agent, 'meta-data', {})).stdout;
    const stock = [
      'config',
      'hypervisor',
      'force_stop',
      'migration_transport',
      'migration_user',
      'migration_downtime',
      'migration_speed',
      'migration_network_suffix',
      'migrateuri',
      'migrate_options',
      'monitor_scripts',
      'autoset_utilization_cpu',
      'autoset_utilization_host_memory',
      'autoset_utilization_hv_memory',
      'unset_utilization_cpu',
      'unset_utilization_host_memory',
      'unset_utilization_hv_memory',
      'migrateport',
      'remoteuri',
      'save_config_on_stop',
      'sync_config_on_stop',
      'snapshot',
      'backingfile',
      'stateless',
      'copyindirs',
      'shutdown_mode',
      'start_resources',
    ];
    for (const name of stock) expect(xml).toContain(`<parameter name="${name}"`);
  });

  it("marks migration, guard and stop settings reloadable (OCF 1.1 reload-agent), and the VM's identity not", async () => {
    const xml = (await runAction(agent, 'meta-data', {})).stdout;
    expect(xml).toContain('<action name="reload-agent"');
    for (const name of [
      'migration_transport',
      'migration_user',
      'migrate_options',
      'migrateport',
      'remoteuri',
      'check_image_in_use',
      'ceph_client_id',
      'force_stop',
      'libvirt_outage_grace',
    ])
      expect(xml).toMatch(new RegExp(`<parameter name="${name}" required="0" reloadable="1">`));
    for (const name of ['config', 'hypervisor', 'seapath', 'pool'])
      expect(xml).not.toMatch(new RegExp(`<parameter name="${name}"[^>]*reloadable`));
    expect((await runAction(agent, 'reload-agent', env({ OCF_RESKEY_config: '/x/vmunit.xml' }))).exitCode).toBe(0);
  });

  it('rejects a migration_transport libvirt does not know (6)', async () => {
    const r = await runAction(agent, 'validate-all', env({ OCF_RESKEY_config: '/x/vmunit.xml', OCF_RESKEY_migration_transport: 'udp' }));
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain("migration_transport must be one of ssh, libssh, libssh2, tcp, tls, unix, ext, got 'udp'");
  });
});
