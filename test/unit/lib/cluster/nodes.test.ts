// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { parseCorosyncNodelist, parseCrmMonNodes } from '../../../../lib/cluster/nodes.js';
import { holderHost } from '../../../../agents/vm/image-guard.js';

describe('cluster nodes', () => {
  it('reads node states from crm_mon XML, ignoring other elements named node', () => {
    const xml = `<pacemaker-result><summary><current_dc present="true" name="node1" id="1"/><nodes_configured number="3"/></summary>
      <nodes>
        <node name="node1" id="1" online="true" standby="false" unclean="false" type="member"/>
        <node name="node2" id="2" online="false" standby="false" unclean="true" type="member"/>
        <node name="node3" id="3" online="false" standby="false" unclean="false" type="member"/>
      </nodes>
      <node_attributes><node name="node1"><attribute name="pingd" value="1000"/></node></node_attributes></pacemaker-result>`;
    expect(parseCrmMonNodes(xml)).toEqual([
      { name: 'node1', online: true, unclean: false },
      { name: 'node2', online: false, unclean: true },
      { name: 'node3', online: false, unclean: false },
    ]);
  });

  it("reads each node's ring addresses from corosync-cmapctl", () => {
    const text = [
      'nodelist.node.0.name (str) = node1',
      'nodelist.node.0.nodeid (u32) = 1',
      'nodelist.node.0.ring0_addr (str) = 192.0.2.11',
      'nodelist.node.1.name (str) = node2',
      'nodelist.node.1.ring0_addr (str) = 192.0.2.12',
      'nodelist.node.1.ring1_addr (str) = 198.51.100.12',
    ].join('\n');
    expect(parseCorosyncNodelist(text)).toEqual(
      new Map([
        ['node1', ['192.0.2.11']],
        ['node2', ['192.0.2.12', '198.51.100.12']],
      ]),
    );
  });

  it.each([
    ['192.0.2.12:0/1102383160', '192.0.2.12'],
    ['v2:192.0.2.12:0/77', '192.0.2.12'],
    ['[2001:db8::12]:0/77', '2001:db8::12'],
  ])('takes the host of RBD client address %s', (address, host) => {
    expect(holderHost(address)).toBe(host);
  });
});
