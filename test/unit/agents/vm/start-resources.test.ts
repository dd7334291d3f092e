// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { monitorScriptsOf, runMonitorScripts } from '../../../../agents/vm/monitor-scripts.js';
import { parseDomainXml } from '../../../../agents/vm/domain-xml.js';
import { Deadline } from '../../../../lib/time/index.js';

describe('the pools and networks start_resources starts', () => {
  it('are those of volume disks and network interfaces, each once; names in comments or metadata are not', () => {
    const xml = `<domain><name>vm1</name>
      <!-- pool='old-images' network='retired' -->
      <metadata><app:note xmlns:app='urn:x' pool='not-a-pool' network='not-a-net'/></metadata>
      <devices>
      <disk type='volume'><source pool="images" volume='a.qcow2'/></disk>
      <disk type='volume'><source pool='images' volume='b.qcow2'/></disk>
      <interface type='network'><source network='lan'/></interface>
      <interface type='network'><source network="backup"/></interface>
      <disk type='network'><source protocol='rbd' name='rbd/system_vm1'/></disk>
    </devices></domain>`;
    const dom = parseDomainXml(xml);
    expect([dom.storagePools, dom.networks]).toEqual([['images'], ['backup', 'lan']]);
  });
});

describe('monitor_scripts', () => {
  it('are split on spaces', () => {
    expect(monitorScriptsOf(' /bin/true   /usr/local/bin/check ')).toEqual(['/bin/true', '/usr/local/bin/check']);
    expect(monitorScriptsOf(undefined)).toEqual([]);
  });

  it('pass when every script exits 0; the first that fails or cannot run is named', async () => {
    await expect(runMonitorScripts(['/bin/true', '/bin/true'], 'vm1', Deadline.after(5000))).resolves.toBeUndefined();
    await expect(runMonitorScripts(['/bin/true', '/bin/false'], 'vm1', Deadline.after(5000))).rejects.toThrow(
      'monitor script /bin/false of vm1 exited 1',
    );
    await expect(runMonitorScripts(['/nonexistent/check'], 'vm1', Deadline.after(5000))).rejects.toThrow(
      'monitor script /nonexistent/check of vm1 cannot be run (not found)',
    );
  });
});
