// SPDX-License-Identifier: Apache-2.0
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { resourceAgentXml } from '../../../../lib/metadata/index.js';
import { boolean, integer, select, string } from '../../../../lib/spec/index.js';
import vip from '../../../../agents/vip/index.js';

const rng = new URL('../../../../spec/ocf-ra-api-1.1.rng', import.meta.url).pathname;

function validate(xml: string): string {
  return execFileSync('xmllint', ['--noout', '--nonet', '--relaxng', rng, '-'], {
    input: xml,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

const ocf11 = {
  name: 'full',
  version: '1.2.3',
  shortdesc: 'Every feature',
  longdesc: 'An agent using every OCF 1.1 feature & some <characters> to escape.',
  params: {
    ip: string({ required: true, uniqueGroup: 'address', desc: 'An address. More text.' }),
    count: integer({ default: 5, reloadable: true, desc: 'A count.' }),
    old: boolean({ default: true, deprecated: { replacedWith: ['count'], desc: 'Use count.' }, desc: 'Old.' }),
    mode: select({ options: ['a', 'b'], default: 'a', desc: 'A mode.' }),
  },
  actions: {
    start: { timeout: '20s' },
    stop: { timeout: '20s' },
    monitor: { timeout: '20s', interval: '10s', depth: 0 },
    'reload-agent': { timeout: '10s' },
  },
};

describe('resource agent meta-data', () => {
  it('validates against the OCF 1.1 schema with every 1.1 feature', () => {
    const xml = resourceAgentXml(ocf11);
    expect(() => validate(xml)).not.toThrow();
    expect(xml).toContain('<version>1.1</version>');
    expect(xml).toContain('unique-group="address"');
    expect(xml).toContain('reloadable="1"');
    expect(xml).toContain('<replaced-with name="count"/>');
    expect(xml).toContain('<option value="b"/>');
    expect(xml).toContain('&amp; some &lt;characters&gt;');
    expect(xml).not.toContain('DOCTYPE'); // ra-api-1.dtd would reject it
  });

  it('declares the OCF 1.0 DTD only when nothing in it needs 1.1, so ocf-tester accepts it', () => {
    const xml = resourceAgentXml({
      ...ocf11,
      params: { ip: string({ required: true, unique: true, desc: 'An address.' }) },
      actions: { start: { timeout: '20s' }, stop: { timeout: '20s' }, monitor: { timeout: '20s' } },
    });
    expect(xml).toContain('<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">');
    expect(() => validate(xml)).not.toThrow();
    expect(() =>
      execFileSync('xmllint', ['--noout', '--valid', '-'], {
        cwd: '/usr/share/resource-agents',
        input: xml,
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    ).not.toThrow();
  });

  it('takes the shortdesc from the first sentence, not from an abbreviation', () => {
    const xml = resourceAgentXml({ ...ocf11, params: { ip: string({ desc: 'The address, e.g. 192.0.2.1. Second sentence.' }) } });
    expect(xml).toContain('<shortdesc lang="en">The address, e.g. 192.0.2.1</shortdesc>');
  });

  it("lists validate-all and meta-data after the agent's actions, unless the agent places or times one itself", () => {
    const actionLines = (xml: string) => xml.split('\n').filter((l) => l.includes('<action '));
    expect(actionLines(resourceAgentXml(ocf11)).slice(-2)).toEqual([
      '    <action name="validate-all" timeout="20s"/>',
      '    <action name="meta-data" timeout="5s"/>',
    ]);
    const placed = resourceAgentXml({
      ...ocf11,
      actions: { ...ocf11.actions, 'meta-data': { timeout: '5s' }, 'validate-all': { timeout: '30s' } },
    });
    expect(actionLines(placed).slice(-2)).toEqual([
      '    <action name="meta-data" timeout="5s"/>',
      '    <action name="validate-all" timeout="30s"/>',
    ]);
    expect(actionLines(placed)).toHaveLength(6);
  });

  it("vip's meta-data is valid OCF 1.1", () => {
    const xml = resourceAgentXml({ ...vip, version: vip.version ?? '' });
    expect(() => validate(xml)).not.toThrow();
    for (const name of [
      'ip',
      'cidr_netmask',
      'broadcast',
      'nic',
      'iflabel',
      'arp_count',
      'arp_interval',
      'arp_count_refresh',
      'preferred_lft',
      'check_link_status',
      'check_duplicate',
    ])
      expect(xml).toContain(`<parameter name="${name}"`);
  });
});
