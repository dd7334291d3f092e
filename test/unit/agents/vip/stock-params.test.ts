// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../../../lib/ocf/index.js';
import vip from '../../../../agents/vip/index.js';
import { isAnnouncerOf, sendArpPath } from '../../../../agents/vip/announce.js';
import { parseRoutes } from '../../../../agents/vip/iproute.js';
import { vipSettings } from '../../../../agents/vip/stock-params.js';
import { vipParams } from '../../../../agents/vip/spec.js';
import { parseParams } from '../../../../lib/spec/index.js';

const agent = vip;
const rsctmp = mkdtempSync(join(tmpdir(), 'vip-unit-'));
const env = (params: Record<string, string>, meta: Record<string, string> = {}): Record<string, string> => ({
  OCF_RESOURCE_INSTANCE: 'vip-unit',
  HA_RSCTMP: rsctmp,
  ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`OCF_RESKEY_${k}`, v])),
  ...Object.fromEntries(Object.entries(meta).map(([k, v]) => [`OCF_RESKEY_CRM_meta_${k}`, v])),
});
const settings = (params: Record<string, string>, family: 4 | 6 = 4) => vipSettings(parseParams(vipParams, env(params)), family);

describe('IPaddr2 parameters read as IPaddr2 reads them', () => {
  it('splits the old nic=eth0:label form into nic and iflabel, the label winning', () => {
    expect(settings({ ip: '192.0.2.10', nic: 'eth0:web', iflabel: 'other' })).toMatchObject({ nic: 'eth0', iflabel: 'web' });
  });

  it('reads netmask when cidr_netmask is unset, and cidr_netmask when both are', () => {
    expect(settings({ ip: '192.0.2.10', netmask: '24' }).cidrNetmask).toBe('24');
    expect(settings({ ip: '192.0.2.10', netmask: '24', cidr_netmask: '25' }).cidrNetmask).toBe('25');
  });

  it.each([
    [{}, true, false],
    [{ run_arping: 'false' }, false, false],
    [{ run_arping: 'true', check_duplicate: 'false' }, true, true],
    [{ nodad: 'true' }, true, true],
    [{ check_duplicate: 'false' }, false, true],
    [{ check_duplicate: 'false', nodad: 'no' }, false, false],
  ])('%j: IPv4 duplicate check %s, IPv6 nodad %s', (params, check, nodad) => {
    const s = settings({ ip: '192.0.2.10', ...params });
    expect(s.checkIPv4Duplicate).toBe(check);
    expect(s.nodad).toBe(nodad);
  });

  it('sends announcements in the background for IPv4 and not for IPv6 unless arp_bg says otherwise', () => {
    expect(settings({ ip: '192.0.2.10' }).arpBackground).toBe(true);
    expect(settings({ ip: '2001:db8::10' }, 6).arpBackground).toBe(false);
    expect(settings({ ip: '192.0.2.10', arp_bg: 'no' }).arpBackground).toBe(false);
  });

  it('passes send_arp_opts to send_arp only', () => {
    expect(settings({ ip: '192.0.2.10', send_arp_opts: '-c 2  -x' }).sendArpOptions).toEqual(['-c', '2', '-x']);
    expect(settings({ ip: '192.0.2.10', send_arp_opts: '-A', arp_sender: 'iputils_arping' }).sendArpOptions).toEqual([]);
  });

  it.each([
    [{ network_namespace: 'blue' }, "network_namespace 'blue' is not supported"],
    [{ unique_clone_address: 'yes' }, 'unique_clone_address=true'],
    [{ arp_sender: 'carrier_pigeon' }, "arp_sender 'carrier_pigeon' is not one of"],
  ])('refuses %j with 6 from start, validate-all; stop exits 0', async (params, reason) => {
    for (const action of ['start', 'validate-all']) {
      const r = await runAction(agent, action, env({ ip: '192.0.2.10', nic: 'lo', cidr_netmask: '32', ...params }));
      expect(r.exitCode).toBe(6);
      expect(r.stderr).toContain(reason);
    }
    expect((await runAction(agent, 'stop', env({ ip: '192.0.2.10', ...params }))).exitCode).toBe(0);
  });

  it.each([
    [{ clone_max: '3', clone: '0' }, 'is cloned (clone-max=3)'],
    [{ clone_max: '1', clone: '0' }, 'is cloned'],
    [{ globally_unique: 'true' }, 'is cloned'],
  ])('refuses a cloned vip %j with 6 rather than adding the address on every node', async (meta, reason) => {
    const r = await runAction(agent, 'start', env({ ip: '192.0.2.10', nic: 'lo', cidr_netmask: '32' }, meta));
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain(reason);
  });

  it.each([
    [{ mac: '01:00:5e:00:00:01' }, "mac '01:00:5e:00:00:01' has no effect"],
    [{ clusterip_hash: 'sourceip' }, "clusterip_hash 'sourceip' has no effect"],
    [
      { arp_sender: 'iputils_arping', send_arp_opts: '-A' },
      "arp_sender iputils_arping: gratuitous ARPs are sent with send_arp, which announces the address the same way; send_arp_opts '-A' " +
        '(meant for iputils_arping) are not used',
    ],
    [{ nodad: 'true' }, 'nodad has no effect on an IPv4 address'],
    // IPaddr2 4.12 refused it; 4.15 made it true by default, and IPv4 ignores it
    [{ lvs_ipv6_addrlabel: 'true' }, 'lvs_ipv6_addrlabel has no effect on an IPv4 address, as in IPaddr2 4.15 and later'],
    [{ netmask: '24', cidr_netmask: '24' }, "netmask '24' has no effect: cidr_netmask is set"],
    [{ preferred_lft: 'abc' }, "preferred_lft 'abc' has no effect on an IPv4 address"],
    [{ ip: '2001:db8::10', iflabel: 'web' }, 'an interface label (iflabel, or nic=NIC:LABEL) has no effect on an IPv6 address'],
    [{ ip: '2001:db8::10', nic: 'lo:web' }, 'an interface label (iflabel, or nic=NIC:LABEL) has no effect on an IPv6 address'],
    [{ ip: '2001:db8::10', lvs_support: 'true' }, 'lvs_support has no effect on an IPv6 address'],
  ])('accepts %j with a warning naming it and why it has no effect', async (params, warning) => {
    const r = await runAction(agent, 'validate-all', env({ ip: '192.0.2.10', ...params }));
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`WARNING: ${warning}`);
  });
});

describe('values IPaddr2 accepts', () => {
  it.each([[{ iflabel: 'v@1' }], [{ arp_interval: '5' }], [{ lvs_support: 'true' }], [{ iflabel: 'web', nic: 'lo' }]])(
    'validate-all accepts %j',
    async (params) => {
      expect((await runAction(agent, 'validate-all', env({ ip: '192.0.2.10', ...params }))).exitCode).toBe(0);
    },
  );

  it.each([
    [{ ip: '2001:db8::10', preferred_lft: 'abc' }, "preferred_lft 'abc' must be 'forever' or a number of seconds"],
    [{ iflabel: 'abcdefghijklm', nic: 'lo' }, "label lo:abcdefghijklm is longer than the kernel's 15 characters"],
    [{ cidr_netmask: '0' }, 'cidr_netmask 0 is out of range for IPv4 (1-32)'],
  ])('and refuses what IPaddr2 refuses, or what the kernel would: %j', async (params, reason) => {
    const r = await runAction(agent, 'validate-all', env({ ip: '192.0.2.10', ...params }));
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain(reason);
  });
});

describe('routes and announcers', () => {
  it('keeps only directly connected routes: never a route through a gateway', () => {
    const json = JSON.stringify([
      { dst: '192.0.2.0/24', gateway: '198.51.100.1', dev: 'eth1' },
      { dst: '192.0.2.0/25', dev: 'eth0', scope: 'link' },
      { dst: 'default', gateway: '198.51.100.1', dev: 'eth1' },
    ]);
    expect(parseRoutes(json)).toEqual([{ nic: 'eth0', prefix: 25, metric: 0 }]);
  });

  it('knows a sender by its program and the address it announces', () => {
    const a = { text: '192.0.2.10', family: 4 as const };
    expect(isAnnouncerOf([sendArpPath, '-i', '200', '-r', '4', 'eth0', '192.0.2.10', 'auto', 'not_used', 'not_used', ''], a)).toBe(true);
    expect(isAnnouncerOf([sendArpPath, '-i', '200', '-r', '4', 'eth0', '192.0.2.11', 'auto', 'not_used', 'not_used', ''], a)).toBe(false);
    expect(isAnnouncerOf(['/usr/bin/sleep', '192.0.2.10'], a)).toBe(false);
  });
});
