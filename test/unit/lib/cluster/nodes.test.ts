// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import type { Argv, RunOptions, RunResult } from '../../../../lib/exec/run.js';
import { parseCorosyncMembers, parseCorosyncNodelist, parseCrmMonNodes, readClusterView } from '../../../../lib/cluster/nodes.js';
import { lastFencingOf, parseFenceHistory, parsePacemakerTime } from '../../../../lib/cluster/fence-history.js';
import { parseNodeStates } from '../../../../lib/cluster/node-states.js';
import { resolveWithin } from '../../../../lib/cluster/resolve.js';
import { Deadline } from '../../../../lib/time/index.js';

// Shapes as Pacemaker 2.1.5 and Corosync 3.1.7 print them in the lab (crm_mon --include=nodes,fencing).
const crmMon = `<pacemaker-result api-version="2.25" request="crm_mon -1 --output-as=xml --include=nodes,fencing">
  <summary><current_dc present="true" version="2.1.5-a3f44794f94" name="node1" id="1" with_quorum="true"/>
    <nodes_configured number="3"/></summary>
  <nodes>
    <node name="node1" id="1" online="true" standby="false" unclean="false" type="member"/>
    <node name="node2" id="2" online="false" standby="false" unclean="true" type="member"/>
    <node name="node3" id="3" online="false" standby="false" unclean="false" type="member"/>
  </nodes>
  <node_attributes><node name="node1"><attribute name="pingd" value="1000"/></node></node_attributes>
  <fence_history>
    <fence_event action="reboot" target="node3" client="pacemaker-controld.24126" origin="node1" status="success" delegate="node1"
      completed="2026-11-29 18:06:22Z"/>
    <fence_event action="off" target="node2" client="stonith_admin.1" origin="node1" status="failed" delegate="node1"
      completed="2026-11-29 18:07:00Z"/>
  </fence_history>
</pacemaker-result>`;

const cibStatus = `<status>
  <node_state id="1" uname="node1" in_ccm="true" crmd="online" crm-debug-origin="do_state_transition" join="member" expected="member">
    <lrm id="1"><lrm_resources><lrm_resource id="vm1" type="vm" class="ocf" provider="seapath">
      <lrm_rsc_op id="vm1_last_0" operation="start" call-id="12" rc-code="0" last-rc-change="1795975590" exec-time="900"/>
    </lrm_resource></lrm_resources></lrm>
  </node_state>
  <node_state id="3" uname="node3" in_ccm="false" crmd="offline" crm-debug-origin="send_stonith_update" join="down" expected="down"/>
  <node_state id="2" uname="node2" in_ccm="1795975000" crmd="1795975001" join="member" expected="member">
    <lrm id="2"><lrm_resources><lrm_resource id="p">
      <lrm_rsc_op id="p_monitor" operation="monitor" last-rc-change="1795974000" last-run="1795975100"/>
    </lrm_resource></lrm_resources></lrm>
  </node_state>
</status>`;

const cmap = [
  'nodelist.local_node_pos (u32) = 0',
  'nodelist.node.0.name (str) = node1',
  'nodelist.node.0.nodeid (u32) = 1',
  'nodelist.node.0.ring0_addr (str) = 192.0.2.11',
  'nodelist.node.1.name (str) = node2',
  'nodelist.node.1.nodeid (u32) = 2',
  'nodelist.node.1.ring0_addr (str) = 192.0.2.12',
  'nodelist.node.1.ring1_addr (str) = 198.51.100.12',
  'nodelist.node.2.name (str) = node3',
  'nodelist.node.2.nodeid (u32) = 3',
  'nodelist.node.2.ring0_addr (str) = 192.0.2.13',
  'runtime.members.1.ip (str) = r(0) ip(192.0.2.11) ',
  'runtime.members.1.join_count (u32) = 1',
  'runtime.members.1.status (str) = joined',
  'runtime.members.3.ip (str) = r(0) ip(192.0.2.13) ',
  'runtime.members.3.join_count (u32) = 2',
  'runtime.members.3.status (str) = left',
].join('\n');

describe('cluster nodes', () => {
  it('reads node states from crm_mon XML, ignoring other elements named node', () => {
    expect(parseCrmMonNodes(crmMon)).toEqual([
      { name: 'node1', online: true, unclean: false },
      { name: 'node2', online: false, unclean: true },
      { name: 'node3', online: false, unclean: false },
    ]);
  });

  it("reads each node's ring addresses and Corosync's current membership", () => {
    expect(parseCorosyncNodelist(cmap)).toEqual(
      new Map([
        ['node1', ['192.0.2.11']],
        ['node2', ['192.0.2.12', '198.51.100.12']],
        ['node3', ['192.0.2.13']],
      ]),
    );
    expect(parseCorosyncMembers(cmap)).toEqual(new Set(['node1']));
  });
});

describe('fencing history', () => {
  it('reads fence events and their completion times', () => {
    expect(parseFenceHistory(crmMon)).toEqual([
      { target: 'node3', action: 'reboot', status: 'success', delegate: 'node1', completedAtMs: Date.parse('2026-11-29T18:06:22Z') },
      { target: 'node2', action: 'off', status: 'failed', delegate: 'node1', completedAtMs: Date.parse('2026-11-29T18:07:00Z') },
    ]);
  });

  it('picks the newest successful off or reboot of a node', () => {
    const events = [
      { target: 'n', action: 'reboot', status: 'success', completedAtMs: 1000 },
      { target: 'n', action: 'off', status: 'success', completedAtMs: 3000 },
      { target: 'n', action: 'on', status: 'success', completedAtMs: 5000 },
      { target: 'n', action: 'off', status: 'failed', completedAtMs: 6000 },
    ];
    expect(lastFencingOf('n', events)?.completedAtMs).toBe(3000);
    expect(lastFencingOf('m', events)).toBeUndefined();
  });

  it.each([
    ['2026-11-29 18:06:22Z', Date.parse('2026-11-29T18:06:22Z')],
    ['2026-11-29 18:06:22.123456 +02:00', Date.parse('2026-11-29T16:06:22.123Z')],
    ['2026-11-29T18:06:22+0100', Date.parse('2026-11-29T17:06:22Z')],
    ['2026-11-29 18:06:22', undefined], // no zone: ambiguous
    ['Sun Nov 29 18:06:22 2026', undefined],
  ])('reads the Pacemaker time %s', (text, ms) => {
    expect(parsePacemakerTime(text)).toBe(ms);
  });
});

describe('node states from the CIB', () => {
  it("gives each node's membership and the newest time it was seen active", () => {
    expect(parseNodeStates(cibStatus)).toEqual(
      new Map([
        ['node1', { inCcm: true, lastActiveAtMs: 1795975590_000 }],
        ['node3', { inCcm: false }], // fencing erased its history
        ['node2', { inCcm: true, lastActiveAtMs: 1795975100_000 }], // 2.1.7+: in_ccm/crmd are join times
      ]),
    );
  });
});

describe('readClusterView', () => {
  const outputs: Record<string, string> = { crm_mon: crmMon, cibadmin: cibStatus, 'corosync-cmapctl': cmap };

  it('runs crm_mon, cibadmin and corosync-cmapctl once each and resolves every node name within its limit', async () => {
    const ran: string[] = [];
    const exec = (argv: Argv, _o: RunOptions): Promise<RunResult> => {
      ran.push(argv.join(' '));
      return Promise.resolve({ stdout: outputs[argv[0]] ?? '', stderr: '', exitCode: 0 });
    };
    const resolve = (name: string) =>
      name === 'node2' ? new Promise<string[]>(() => undefined) : Promise.resolve(name === 'node3' ? ['198.51.100.13'] : []);
    // node2's resolver never answers: without the limit this would hang past the test's timeout
    const view = await readClusterView(Deadline.after(10_000), { exec, resolve, dnsLimitMs: 100 });
    expect(ran).toEqual(['crm_mon -1 --output-as=xml --include=nodes,fencing', 'cibadmin --query --scope status', 'corosync-cmapctl']);
    expect(view.nodes).toEqual([
      { name: 'node1', online: true, unclean: false, member: true, lastActiveAtMs: 1795975590_000, addresses: ['192.0.2.11'] },
      {
        name: 'node2',
        online: false,
        unclean: true,
        member: true,
        lastActiveAtMs: 1795975100_000,
        addresses: ['192.0.2.12', '198.51.100.12'],
      },
      { name: 'node3', online: false, unclean: false, member: false, addresses: ['192.0.2.13', '198.51.100.13'] },
    ]);
    expect(view.fencing).toHaveLength(2);
  });

  it('fails as a whole when one of the programs fails', async () => {
    const exec = (argv: Argv): Promise<RunResult> =>
      argv[0] === 'cibadmin'
        ? Promise.reject(new Error('cibadmin exited 102'))
        : Promise.resolve({ stdout: outputs[argv[0]] ?? '', stderr: '', exitCode: 0 });
    await expect(readClusterView(Deadline.after(1000), { exec, resolve: () => Promise.resolve([]) })).rejects.toThrow(
      'cibadmin exited 102',
    );
  });
});

describe('resolveWithin', () => {
  it('answers the addresses, none on failure, none past its limit', async () => {
    expect(await resolveWithin('a', 100, () => Promise.resolve(['192.0.2.1']))).toEqual(['192.0.2.1']);
    expect(await resolveWithin('a', 100, () => Promise.reject(new Error('ENOTFOUND')))).toEqual([]);
    expect(await resolveWithin('a', 50, () => new Promise(() => undefined))).toEqual([]);
  });

  it('resolves through the system resolver (/etc/hosts)', async () => {
    expect(await resolveWithin('localhost', 2000)).toContain('127.0.0.1');
  });
});
