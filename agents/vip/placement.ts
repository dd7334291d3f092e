// SPDX-License-Identifier: Apache-2.0
// Where the address goes, or is: the interface and prefix, from the parameters or the routes.
import { Ocf, OcfError } from '../../lib/ocf/index.js';
import { parsePrefix, type FloatingAddress } from './address.js';
import { findAddress, linkExists, linkIsRunning, type FoundAddress } from './interfaces.js';
import { prefixOnLink, routeFor, type Placement } from './iproute.js';
import type { VipSettings } from './stock-params.js';
import type { VipContext } from './context.js';

/** cidr_netmask as a prefix, or undefined when unset or unreadable (stop does not fail on it). */
export function prefixParameter(s: VipSettings, address: FloatingAddress): number | undefined {
  if (s.cidrNetmask === undefined) return undefined;
  try {
    return parsePrefix(s.cidrNetmask, address.family);
  } catch {
    return undefined;
  }
}

/** Where this resource's address belongs without saved state: on nic, else where start would add it. */
export async function belongsOn(s: VipSettings, address: FloatingAddress, ctx: VipContext): Promise<string | undefined> {
  return s.nic ?? (await routeFor(address, undefined, ctx.deadline, prefixParameter(s, address)).catch(() => undefined))?.nic;
}

// nic and prefix come from the parameters, else from the covering route: decided once, here.
export async function choosePlacement(s: VipSettings, address: FloatingAddress, ctx: VipContext): Promise<Placement> {
  const prefix = s.cidrNetmask !== undefined ? parsePrefix(s.cidrNetmask, address.family) : undefined;
  if (s.nic !== undefined && prefix !== undefined) return { nic: s.nic, prefix, family: address.family };
  if (s.nic !== undefined && !linkExists(s.nic)) throw new OcfError(Ocf.ERR_ARGS, `interface ${s.nic} does not exist on this node`);
  const route = await routeFor(address, s.nic, ctx.deadline, prefix);
  if (route === undefined)
    throw new OcfError(
      Ocf.ERR_ARGS,
      `no directly connected route on this node covers ${address.text}${s.nic ? ` through ${s.nic}` : ''}: set nic and cidr_netmask, ` +
        `or add an address on that network`,
    );
  return { nic: s.nic ?? route.nic, prefix: prefix ?? route.prefix, family: address.family };
}

/**
 * The address on `nic` first (with `prefix` first there), including on a link getifaddrs hides
 * (no carrier, down, dormant); else anywhere.
 */
export async function locate(
  address: FloatingAddress,
  nic: string | undefined,
  ctx: VipContext,
  prefix?: number,
): Promise<FoundAddress | undefined> {
  if (nic !== undefined && address.family === 4 && linkExists(nic) && !linkIsRunning(nic)) {
    const onLink = await prefixOnLink(address, nic, ctx.deadline, prefix);
    if (onLink !== undefined) return { nic, prefix: onLink, tentative: false, dadFailed: false };
  }
  return findAddress(address, nic, prefix);
}
