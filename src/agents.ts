// SPDX-License-Identifier: Apache-2.0
import type { ResourceAgent } from '../lib/ocf/define.js';

/** Each agent is loaded only when invoked, so a vip monitor never evaluates the VM or Outscale code. */
export const resourceAgents: Readonly<Record<string, () => Promise<ResourceAgent>>> = {
  vip: async () => (await import('../agents/vip/index.js')).default,
  ping: async () => (await import('../agents/ping/index.js')).default,
  vm: async () => (await import('../agents/vm/index.js')).default,
  // SEAPATH's vm_manager creates and finds its VMs as ocf:seapath:VirtualDomain.
  VirtualDomain: async () => (await import('../agents/vm/index.js')).virtualDomain,
};

/** Fence agents, run through lib/fence rather than the OCF dispatcher. */
export const fenceAgents: Readonly<Record<string, () => Promise<(argv: readonly string[]) => Promise<number>>>> = {
  fence_outscale: async () => (await import('../fence/outscale/index.js')).default,
};
