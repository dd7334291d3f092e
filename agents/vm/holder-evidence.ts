// SPDX-License-Identifier: Apache-2.0
import { lastFencingOf, type ClusterNode, type ClusterView } from '../../lib/cluster/index.js';
import type { ImageHolder } from './rbd.js';

/**
 * What the cluster proves about one holder of a VM's image:
 * - `fenced`: its node was fenced after it was last seen in the cluster, so its copy is gone (the
 *   guard still blocklists it, so that a copy that survived a wrong fencing cannot write);
 * - `unproven`: nothing says its copy stopped; `why` and `todo` go into the exit reason.
 * Crm_mon's "offline and clean" is never proof on its own: a node whose Pacemaker was stopped in
 * maintenance mode, or that left while STONITH is disabled, is offline and clean with its VMs running.
 */
export type HolderVerdict =
  | { readonly kind: 'fenced'; readonly node: string; readonly fencedAtMs: number }
  | { readonly kind: 'unproven'; readonly node?: string; readonly why: string; readonly todo: string };

/** `192.0.2.12:0/1102383160`, `v2:192.0.2.12:0/77` or `[2001:db8::12]:0/77` → the host part. */
export function holderHost(address: string): string {
  const withoutNonce = address.split('/')[0] ?? address;
  const bracketed = /^(?:v[12]:)?\[([^\]]+)\]/.exec(withoutNonce);
  if (bracketed?.[1]) return bracketed[1];
  return withoutNonce.replace(/^v[12]:/, '').split(':')[0] ?? withoutNonce;
}

export function nodeOfHolder(holder: ImageHolder, nodes: readonly ClusterNode[]): ClusterNode | undefined {
  const host = holderHost(holder.address);
  return nodes.find((n) => n.addresses.includes(host));
}

/** `view` is undefined when the cluster could not be read (no cluster here, or its tools failed). */
export function judgeHolder(vmName: string, holder: ImageHolder, view: ClusterView | undefined): HolderVerdict {
  const host = holderHost(holder.address);
  if (view === undefined)
    return {
      kind: 'unproven',
      why: `the cluster's state could not be read to tell whose client ${holder.address} is`,
      todo: `stop ${vmName} on ${host}`,
    };
  const node = nodeOfHolder(holder, view.nodes);
  if (node === undefined)
    return { kind: 'unproven', why: `${host} is not the address of any cluster node`, todo: `stop ${vmName} on ${host}` };
  const n = node.name;
  const stopOrFence = `stop ${vmName} on ${n}, or fence ${n}`;
  if (node.online) return { kind: 'unproven', node: n, why: `${n} is online`, todo: `stop ${vmName} on ${n}` };
  if (node.unclean) return { kind: 'unproven', node: n, why: `${n} is lost and not fenced yet`, todo: `wait for ${n} to be fenced` };
  if (node.member)
    return {
      kind: 'unproven',
      node: n,
      why: `${n}'s Pacemaker is stopped but Corosync still counts it a member, so its VMs may run`,
      todo: stopOrFence,
    };
  const fencing = lastFencingOf(n, view.fencing);
  if (fencing === undefined)
    return {
      kind: 'unproven',
      node: n,
      why:
        `${n} is offline but was never fenced, and offline is no proof that its copy stopped (a Pacemaker stopped in maintenance ` +
        `mode, or a node cut off while STONITH is disabled, leaves its VMs running)`,
      todo: stopOrFence,
    };
  if (node.lastActiveAtMs !== undefined && node.lastActiveAtMs >= fencing.completedAtMs)
    return {
      kind: 'unproven',
      node: n,
      why: `${n} was fenced at ${iso(fencing.completedAtMs)} but was active in the cluster after that (${iso(node.lastActiveAtMs)})`,
      todo: stopOrFence,
    };
  return { kind: 'fenced', node: n, fencedAtMs: fencing.completedAtMs };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}
