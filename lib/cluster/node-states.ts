// SPDX-License-Identifier: Apache-2.0
import { xmlAttributes } from './xml-attributes.js';

/** What the CIB status section says of one node. */
export interface NodeState {
  /** The cluster layer counts the node as a member (`in_ccm` is `true`, or since 2.1.7 the time it joined). */
  readonly inCcm: boolean;
  /**
   * The newest time (ms since the epoch) the node was seen active in the cluster: its newest
   * resource operation, or its join time where Pacemaker records one. Fencing a node erases its
   * operation history, and a node that rejoins probes every resource, so a fencing newer than this
   * means the node has not been a member since.
   */
  readonly lastActiveAtMs?: number;
}

/** `<node_state uname=… in_ccm=…>…<lrm_rsc_op last-rc-change=… last-run=…/>…</node_state>` of `cibadmin -Q --scope status`. */
export function parseNodeStates(xml: string): Map<string, NodeState> {
  const states = new Map<string, NodeState>();
  for (const m of xml.matchAll(/<node_state\s([^>]*?)(?:\/>|>([\s\S]*?)<\/node_state>)/g)) {
    const attrs = xmlAttributes(m[1] ?? '');
    const name = attrs.get('uname');
    if (name === undefined) continue;
    const inCcmValue = attrs.get('in_ccm') ?? 'false';
    const times: number[] = [];
    // Since Pacemaker 2.1.7 in_ccm and crmd hold the epoch second the node joined instead of true/online.
    for (const joined of [inCcmValue, attrs.get('crmd') ?? '']) if (/^\d+$/.test(joined)) times.push(Number(joined) * 1000);
    for (const op of (m[2] ?? '').matchAll(/<lrm_rsc_op\s([^>]*?)\/?>/g)) {
      const opAttrs = xmlAttributes(op[1] ?? '');
      for (const key of ['last-rc-change', 'last-run']) {
        const v = opAttrs.get(key);
        if (v !== undefined && /^\d+$/.test(v)) times.push(Number(v) * 1000);
      }
    }
    const lastActiveAtMs = times.length > 0 ? Math.max(...times) : undefined;
    states.set(name, { inCcm: inCcmValue !== 'false', ...(lastActiveAtMs !== undefined ? { lastActiveAtMs } : {}) });
  }
  return states;
}
