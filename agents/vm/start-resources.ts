// SPDX-License-Identifier: Apache-2.0
import type { Deadline } from '../../lib/time/index.js';
import { Ocf, OcfError } from '../../lib/ocf/index.js';
import type { Virsh } from './virsh.js';

/** The storage pools and networks a domain XML names (pool='…', network='…'), as VirtualDomain finds them. */
export function resourcesNamedIn(xml: string): { pools: string[]; networks: string[] } {
  const all = (attribute: string): string[] =>
    [...new Set([...xml.matchAll(new RegExp(`\\b${attribute}=['"]([^'"]+)['"]`, 'g'))].map((m) => m[1] ?? ''))]
      .filter((v) => v !== '')
      .sort();
  return { pools: all('pool'), networks: all('network') };
}

/**
 * start_resources: starts the pools and networks the domain needs on the hypervisor `virsh` talks
 * to (this node at start, the target before a migration). One that cannot start fails the action.
 */
export async function startDomainResources(xml: string, virsh: Virsh, deadline: Deadline): Promise<void> {
  const { pools, networks } = resourcesNamedIn(xml);
  for (const pool of pools) {
    await virsh.startOrRefreshPool(pool, deadline).catch((e: unknown) => {
      throw new OcfError(Ocf.ERR_GENERIC, `cannot start storage pool ${pool} at ${virsh.uri}: ${(e as Error).message}`, { cause: e });
    });
  }
  for (const network of networks) {
    await virsh.startNetwork(network, deadline).catch((e: unknown) => {
      throw new OcfError(Ocf.ERR_GENERIC, `cannot start network ${network} at ${virsh.uri}: ${(e as Error).message}`, { cause: e });
    });
  }
}
