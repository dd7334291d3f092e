// SPDX-License-Identifier: Apache-2.0
import { query } from '../exec/query.js';
import type { Argv, RunOptions, RunResult } from '../exec/run.js';
import type { Deadline } from '../time/index.js';
import { parseFenceHistory, type FenceEvent } from './fence-history.js';
import { parseNodeStates } from './node-states.js';
import { resolveWithin, type LookupAll } from './resolve.js';
import { xmlAttributes } from './xml-attributes.js';

/** A cluster node as Pacemaker and Corosync see it, with the addresses it is known by. */
export interface ClusterNode {
  readonly name: string;
  /** Its controller takes part in the cluster (crm_mon's `online`). */
  readonly online: boolean;
  /** Lost without being fenced yet: whatever ran there may still run. */
  readonly unclean: boolean;
  /** Corosync counts it a member, whatever its Pacemaker does (stopped in maintenance mode, say). */
  readonly member: boolean;
  /** The newest time (ms since the epoch) it was seen active in the cluster; see NodeState. */
  readonly lastActiveAtMs?: number;
  readonly addresses: readonly string[];
}

/** The cluster as one action sees it: nodes, and the fencing history. */
export interface ClusterView {
  readonly nodes: readonly ClusterNode[];
  readonly fencing: readonly FenceEvent[];
}

export interface ClusterViewOptions {
  readonly exec?: (argv: Argv, options: RunOptions) => Promise<RunResult>;
  readonly resolve?: LookupAll;
  /** Per name; the resolver of a node whose DNS server is gone must not take the action's whole budget. */
  readonly dnsLimitMs?: number;
}

/**
 * Reads the cluster once: node states and fencing history from crm_mon, membership and the last
 * activity of each node from the CIB status, ring addresses and membership from Corosync, and the
 * addresses each node name resolves to (a node's storage address is often its name's, not its ring's).
 * Any of the three programs failing fails the whole view: a partial view could prove what it should not.
 */
export async function readClusterView(deadline: Deadline, options: ClusterViewOptions = {}): Promise<ClusterView> {
  // query, not execa: the vm start that reads the cluster is typically a failover's.
  const exec = options.exec ?? query;
  const [mon, cib, cmap] = await Promise.all([
    exec(['crm_mon', '-1', '--output-as=xml', '--include=nodes,fencing'], { deadline }),
    exec(['cibadmin', '--query', '--scope', 'status'], { deadline }),
    exec(['corosync-cmapctl'], { deadline }),
  ]);
  const states = parseNodeStates(cib.stdout);
  const rings = parseCorosyncNodelist(cmap.stdout);
  const members = parseCorosyncMembers(cmap.stdout);
  const dnsLimitMs = Math.min(options.dnsLimitMs ?? 2000, deadline.remainingMs());
  const nodes = await Promise.all(
    parseCrmMonNodes(mon.stdout).map(async (n): Promise<ClusterNode> => {
      const resolved = await resolveWithin(n.name, dnsLimitMs, options.resolve);
      const state = states.get(n.name);
      return {
        ...n,
        member: members.has(n.name) || (state?.inCcm ?? false),
        ...(state?.lastActiveAtMs !== undefined ? { lastActiveAtMs: state.lastActiveAtMs } : {}),
        addresses: [...new Set([...(rings.get(n.name) ?? []), ...resolved])],
      };
    }),
  );
  return { nodes, fencing: parseFenceHistory(mon.stdout) };
}

/** `<node name="node2" … online="false" … unclean="false" …/>` elements of crm_mon's XML. */
export function parseCrmMonNodes(xml: string): { name: string; online: boolean; unclean: boolean }[] {
  const nodes: { name: string; online: boolean; unclean: boolean }[] = [];
  for (const m of xml.matchAll(/<node\s([^>]*?)\/?>/g)) {
    const attrs = xmlAttributes(m[1] ?? '');
    const name = attrs.get('name');
    if (name === undefined || !attrs.has('online')) continue;
    nodes.push({ name, online: attrs.get('online') === 'true', unclean: attrs.get('unclean') === 'true' });
  }
  return nodes;
}

interface CmapNode {
  name?: string;
  nodeid?: string;
  addrs: string[];
}

function cmapNodes(text: string): CmapNode[] {
  const byIndex = new Map<string, CmapNode>();
  for (const m of text.matchAll(/^nodelist\.node\.(\d+)\.(name|nodeid|ring\d+_addr) \(\w+\) = (\S+)$/gm)) {
    const entry = byIndex.get(m[1] ?? '') ?? { addrs: [] };
    if (m[2] === 'name') entry.name = m[3];
    else if (m[2] === 'nodeid') entry.nodeid = m[3];
    else if (m[3]) entry.addrs.push(m[3]);
    byIndex.set(m[1] ?? '', entry);
  }
  return [...byIndex.values()];
}

/** Node name → ring addresses, from `corosync-cmapctl`. */
export function parseCorosyncNodelist(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of cmapNodes(text)) if (e.name) out.set(e.name, e.addrs);
  return out;
}

/** Names of the nodes in Corosync's current membership (`runtime.members.<nodeid>.status = joined`). */
export function parseCorosyncMembers(text: string): Set<string> {
  const joined = new Set<string>();
  for (const m of text.matchAll(/^runtime\.members\.(\d+)\.status \(str\) = (\S+)\s*$/gm)) if (m[2] === 'joined') joined.add(m[1] ?? '');
  return new Set(
    cmapNodes(text)
      .filter((e) => e.name !== undefined && e.nodeid !== undefined && joined.has(e.nodeid))
      .map((e) => e.name ?? ''),
  );
}
