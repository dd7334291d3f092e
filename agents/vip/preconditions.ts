// SPDX-License-Identifier: Apache-2.0
// What a vip action refuses before it changes anything.
import { CAP_NET_ADMIN, hasCapability } from '../../lib/exec/index.js';
import { Ocf, OcfError } from '../../lib/ocf/index.js';

// IPaddr2's check, wherever the interface comes from (nic, or the route at start).
export function refuseLongLabel(nic: string, iflabel: string): void {
  if (`${nic}:${iflabel}`.length > 15)
    throw new OcfError(Ocf.ERR_CONFIGURED, `label ${nic}:${iflabel} is longer than the kernel's 15 characters; shorten iflabel`);
}

/**
 * IPaddr2 answers 4 (insufficient privileges) to a start or stop by a user other than root; what
 * changing an address takes is cap_net_admin, which a hardened service may also lack as root.
 * A stop with nothing to remove needs no privilege, so it is only asked for once there is.
 */
export function refuseWithoutNetAdmin(what: string): void {
  if (!hasCapability(CAP_NET_ADMIN))
    throw new OcfError(
      Ocf.ERR_PERM,
      `cannot ${what}: this process lacks cap_net_admin ` +
        "(the agent must run as root, with cap_net_admin in the service's capability bounding set)",
    );
}
