// SPDX-License-Identifier: Apache-2.0
import type { Deadline } from '../../lib/time/index.js';
import { Ocf, OcfError } from '../../lib/ocf/index.js';
import type { DomainXml } from './domain-xml.js';
import type { Virsh } from './virsh.js';
import { messageOf } from '../../lib/unknown/index.js';

/**
 * start_resources: starts the pools and networks the domain needs on the hypervisor `virsh` talks
 * to (this node at start, the target before a migration). One that cannot start fails the action.
 * They are read from the disks and interfaces (VirtualDomain greps the whole text, comments and
 * <metadata> included, for pool= and network=).
 */
export async function startDomainResources(dom: DomainXml, virsh: Virsh, deadline: Deadline): Promise<void> {
  for (const pool of dom.storagePools) {
    await virsh.startOrRefreshPool(pool, deadline).catch((e: unknown) => {
      throw new OcfError(Ocf.ERR_GENERIC, `cannot start storage pool ${pool} at ${virsh.uri}: ${messageOf(e)}`, { cause: e });
    });
  }
  for (const network of dom.networks) {
    await virsh.startNetwork(network, deadline).catch((e: unknown) => {
      throw new OcfError(Ocf.ERR_GENERIC, `cannot start network ${network} at ${virsh.uri}: ${messageOf(e)}`, { cause: e });
    });
  }
}
