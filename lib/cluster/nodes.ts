// SPDX-License-Identifier: Apache-2.0
import { lookup } from 'node:dns/promises';
import { run } from '../exec/run.js';
import type { Deadline } from '../ocf/deadline.js';

/** A cluster node as Pacemaker sees it, with the addresses it is known by. */
export interface ClusterNode {
  readonly name: string;
  readonly online: boolean;
  /** Lost without being fenced yet: whatever ran there may still run. */
  readonly unclean: boolean;
  readonly addresses: readonly string[];
}

/**
 * The cluster's nodes: their state from crm_mon, their addresses from Corosync's node list and
 * from the resolver (a node's storage address is often its name's, not its ring's).
 */
export async function readClusterNodes(deadline: Deadline): Promise<ClusterNode[]> {
  const [mon, cmap] = await Promise.all([
    run(['crm_mon', '-1', '--output-as=xml', '--include=nodes'], { deadline }),
    run(['corosync-cmapctl', '-b', 'nodelist.node'], { deadline, okExitCodes: [1] }),
  ]);
  const rings = parseCorosyncNodelist(cmap.stdout);
  const states = parseCrmMonNodes(mon.stdout);
  return Promise.all(
    states.map(async (s) => {
      const resolved = await lookup(s.name, { all: true })
        .then((all) => all.map((a) => a.address))
        .catch(() => [] as string[]);
      return { ...s, addresses: [...new Set([...(rings.get(s.name) ?? []), ...resolved])] };
    }),
  );
}

/** `<node name="node2" … online="false" … unclean="false" …/>` elements of crm_mon's XML. */
export function parseCrmMonNodes(xml: string): { name: string; online: boolean; unclean: boolean }[] {
  const nodes: { name: string; online: boolean; unclean: boolean }[] = [];
  for (const m of xml.matchAll(/<node\s([^>]*?)\/?>/g)) {
    const attrs = new Map([...(m[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1] ?? '', a[2] ?? '']));
    const name = attrs.get('name');
    if (name === undefined || !attrs.has('online')) continue;
    nodes.push({ name, online: attrs.get('online') === 'true', unclean: attrs.get('unclean') === 'true' });
  }
  return nodes;
}

/** Node name → ring addresses, from `corosync-cmapctl -b nodelist.node`. */
export function parseCorosyncNodelist(text: string): Map<string, string[]> {
  const byIndex = new Map<string, { name?: string; addrs: string[] }>();
  for (const m of text.matchAll(/^nodelist\.node\.(\d+)\.(name|ring\d+_addr) \(str\) = (\S+)$/gm)) {
    const entry = byIndex.get(m[1] ?? '') ?? { addrs: [] };
    if (m[2] === 'name') entry.name = m[3];
    else if (m[3]) entry.addrs.push(m[3]);
    byIndex.set(m[1] ?? '', entry);
  }
  const out = new Map<string, string[]>();
  for (const e of byIndex.values()) if (e.name) out.set(e.name, e.addrs);
  return out;
}
