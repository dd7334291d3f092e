// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { runAction } from '../../../../lib/ocf/dispatch.js';
import vm, { virtualDomain } from '../../../../agents/vm/index.js';
import type { ResourceAgent } from '../../../../lib/ocf/define.js';

const agent = vm as unknown as ResourceAgent;
const env = (extra: Record<string, string>) => ({ OCF_RESOURCE_INSTANCE: 'vmunit', HA_RSCTMP: '/tmp/vm-unit-rsctmp', HA_logfacility: 'none', ...extra });

describe('vm agent: what the kit derives from its spec', () => {
  it('prints meta-data under the name it was invoked as', async () => {
    expect((await runAction(agent, 'meta-data', {})).stdout).toContain('<resource-agent name="vm"');
    expect((await runAction(virtualDomain as unknown as ResourceAgent, 'meta-data', {})).stdout).toContain('<resource-agent name="VirtualDomain"');
  });

  it('advertises live migration and VirtualDomain parameter names', async () => {
    const xml = (await runAction(agent, 'meta-data', {})).stdout;
    for (const name of ['migrate_to', 'migrate_from']) expect(xml).toContain(`<action name="${name}"`);
    for (const name of ['config', 'hypervisor', 'seapath', 'force_stop', 'migration_transport', 'migration_user', 'migration_downtime', 'migration_speed', 'migrateuri', 'migration_network_suffix', 'autoset_utilization_cpu', 'autoset_utilization_hv_memory', 'pool', 'check_image_in_use'])
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

  it('rejects a migration_user that VirtualDomain would not put in a URI (6)', async () => {
    const r = await runAction(agent, 'validate-all', env({ OCF_RESKEY_config: '/x/vmunit.xml', OCF_RESKEY_migration_user: 'Root User' }));
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain('migration_user must match');
  });

  it('validates a SEAPATH definition at level 0 without touching the node', async () => {
    const r = await runAction(agent, 'validate-all', env({
      OCF_RESKEY_config: '/etc/pacemaker/vmunit.xml', OCF_RESKEY_seapath: 'true', OCF_RESKEY_hypervisor: 'qemu:///system',
      OCF_RESKEY_force_stop: 'false', OCF_RESKEY_migration_transport: 'ssh', OCF_RESKEY_migration_user: 'root', OCF_RESKEY_migration_downtime: '0',
    }));
    expect(r.exitCode).toBe(0);
  });
});

describe('vm agent meta-data for ocf-tester', () => {
  it('uses no OCF 1.1-only feature, so it carries the DOCTYPE that ra-api-1.dtd validation needs', async () => {
    const xml = (await runAction(agent, 'meta-data', {})).stdout;
    expect(xml).toContain('<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">');
    expect(xml).toContain('<parameter name="config" unique="1"');
  });

  it('rejects a migration_transport libvirt does not know (6)', async () => {
    const r = await runAction(agent, 'validate-all', env({ OCF_RESKEY_config: '/x/vmunit.xml', OCF_RESKEY_migration_transport: 'udp' }));
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain("migration_transport must be one of ssh, libssh, tcp, tls, got 'udp'");
  });
});
