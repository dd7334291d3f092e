// SPDX-License-Identifier: Apache-2.0
import type { ResourceAgent } from '../lib/ocf/define.js';

/** Each agent is loaded only when invoked, so a vip monitor never evaluates the VM or Outscale code. */
export const resourceAgents: Readonly<Record<string, () => Promise<ResourceAgent>>> = {
  vip: async () => (await import('../agents/vip/index.js')).default as unknown as ResourceAgent,
  ping: async () => (await import('../agents/ping/index.js')).default as unknown as ResourceAgent,
  vm: async () => (await import('../agents/vm/index.js')).default as unknown as ResourceAgent,
  // SEAPATH's vm_manager creates and finds its VMs as ocf:seapath:VirtualDomain.
  VirtualDomain: async () => (await import('../agents/vm/index.js')).virtualDomain as unknown as ResourceAgent,
};

/** Fence agents, run through lib/fence rather than the OCF dispatcher. */
export const fenceAgents: Readonly<Record<string, () => Promise<(argv: readonly string[]) => Promise<number>>>> = {
  fence_outscale: async () => (await import('../fence/outscale/index.js')).default,
};
