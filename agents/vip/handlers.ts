// SPDX-License-Identifier: Apache-2.0
import { CAP_NET_RAW, hasCapability, which } from '../../lib/exec/index.js';
import { Ocf, OcfError, sleep, waitUntil, type MonitorResult, type ResourceContext } from '../../lib/ocf/index.js';
import { isIPv4, parseAddress, parsePrefix, type FloatingAddress } from './address.js';
import { announce, announceTools, refreshArp, refuseIfAnsweredElsewhere, stopAnnouncer } from './announce.js';
import { solicitFrom } from './solicit.js';
import { findAddress, linkExists, linkIsUp } from './interfaces.js';
import { addAddress, deleteAddress, prefixOnLink, routeFor, setLinkUp, type Placement } from './iproute.js';
import type { VipParams } from './spec.js';

/** Consistency of the parameters alone: wrong here means wrong on every node (6). */
export function validate(p: VipParams): void {
  const address = parseAddress(p.ip);
  if (p.cidr_netmask !== undefined) parsePrefix(p.cidr_netmask, address.family);
  if (p.broadcast !== undefined && !['+', '-'].includes(p.broadcast) && !isIPv4(p.broadcast))
    throw new OcfError(Ocf.ERR_CONFIGURED, `broadcast '${p.broadcast}' is not an IPv4 address, '+' or '-'`);
  if (p.broadcast !== undefined && address.family === 6)
    throw new OcfError(Ocf.ERR_CONFIGURED, 'broadcast applies to IPv4 addresses only; unset it for an IPv6 ip');
  if (p.iflabel !== undefined) {
    if (address.family === 6) throw new OcfError(Ocf.ERR_CONFIGURED, 'iflabel applies to IPv4 addresses only; unset it for an IPv6 ip');
    if (!/^[A-Za-z0-9_.-]+$/.test(p.iflabel)) throw new OcfError(Ocf.ERR_CONFIGURED, `iflabel '${p.iflabel}' may only contain letters, digits, '_', '.' and '-'`);
    if (p.nic !== undefined && `${p.nic}:${p.iflabel}`.length > 15)
      throw new OcfError(Ocf.ERR_CONFIGURED, `label ${p.nic}:${p.iflabel} is longer than the kernel's 15 characters; shorten iflabel`);
  }
  if (p.preferred_lft.trim() === '' || !/^(forever|\d+)$/.test(p.preferred_lft))
    throw new OcfError(Ocf.ERR_CONFIGURED, `preferred_lft '${p.preferred_lft}' must be 'forever' or a number of seconds`);
  if (address.family === 6 && address.text.startsWith('fe80:') && p.nic === undefined)
    throw new OcfError(Ocf.ERR_CONFIGURED, `link-local address ${address.text} needs the nic parameter`);
}

/** Checks of this node before start and at validate-all level 10. */
export async function validateHost(p: VipParams): Promise<void> {
  if (p.nic !== undefined && !linkExists(p.nic)) throw new OcfError(Ocf.ERR_ARGS, `interface ${p.nic} does not exist on this node`);
  const family = parseAddress(p.ip).family;
  const tools = [...(p.arp_count > 0 || p.arp_count_refresh > 0 ? announceTools(family) : []), ...(p.check_duplicate && family === 4 ? ['arping'] : [])];
  const missing = [...new Set(tools)].filter((t) => which(t) === undefined);
  if (missing.length > 0)
    throw new OcfError(Ocf.ERR_INSTALLED, `${missing.join(', ')} not installed on this node (needed to announce ${p.ip}${family === 4 ? ' and check it is not in use' : ''})`);
}

export async function start(p: VipParams, ctx: ResourceContext): Promise<void> {
  if ((await monitor(p, ctx).catch(() => Ocf.NOT_RUNNING)) === Ocf.SUCCESS) return; // starting twice is a success
  const address = parseAddress(p.ip);
  const placement = await choosePlacement(p, address, ctx);
  if (!linkExists(placement.nic)) throw new OcfError(Ocf.ERR_ARGS, `interface ${placement.nic} does not exist on this node`);
  if (!linkIsUp(placement.nic)) await setLinkUp(placement.nic, ctx.deadline);
  // Without cap_net_raw (SEAPATH's hardened pacemaker.service drops it) neither arping nor
  // send_arp/send_ua can run: the duplicate check is skipped (IPaddr2 ignores its failure too) and
  // the address is announced through the kernel's own solicitation (solicit.ts).
  const rawSockets = hasCapability(CAP_NET_RAW);
  if (!rawSockets && p.check_duplicate && address.family === 4)
    ctx.log.warn(`no cap_net_raw (outside this service's capability bounding set): ${address.text} is added without arping's duplicate address check`);
  if (p.check_duplicate && rawSockets) await refuseIfAnsweredElsewhere(address, placement.nic, ctx.deadline);

  const label = p.iflabel !== undefined ? `${placement.nic}:${p.iflabel}` : undefined;
  await addAddress(address, placement, { broadcast: p.broadcast, label, preferredLft: p.preferred_lft, nodad: !p.check_duplicate }, ctx.deadline);
  ctx.state.save(placement);
  try {
    if (address.family === 6) await waitForDad(address, ctx);
    if (p.check_link_status && !linkIsUp(placement.nic))
      throw new OcfError(Ocf.ERR_GENERIC, `interface ${placement.nic} is down (no carrier); cannot serve ${address.text}`);
  } catch (e) {
    await removeAfterFailedStart(address, placement, ctx);
    throw e;
  }
  try {
    if (rawSockets) {
      const announcerPid = await announce(address, placement.nic, placement.prefix, p.arp_count, p.arp_interval, ctx.deadline.leaving(500));
      ctx.state.save({ ...placement, announcerPid } satisfies StartedPlacement);
    } else if (p.arp_count > 0 && placement.nic !== 'lo') {
      const neighbour = address.family === 4 ? await solicitFrom(address, placement.nic, placement.prefix, ctx.deadline.leaving(500)) : undefined;
      ctx.log.info(
        neighbour === undefined
          ? `no cap_net_raw to announce ${address.text}: peers find it when their neighbour entry expires (NUD)`
          : `no cap_net_raw for gratuitous ARP: announced ${address.text} as the sender of the kernel's ARP requests for ${neighbour}`,
      );
    }
  } catch (e) {
    // The address works; peers learn it at their next ARP/ND query.
    ctx.log.warn(`could not announce ${address.text} on ${placement.nic}: ${e instanceof Error ? e.message : String(e)}`);
  }
  ctx.log.info(`${address.text}/${placement.prefix} added on ${placement.nic}`);
}

/** What start saved: where the address went, and the background announcer to end at stop. */
interface StartedPlacement extends Placement {
  readonly announcerPid?: number | undefined;
}

export async function stop(p: VipParams, ctx: ResourceContext): Promise<void> {
  const address = parseAddress(p.ip);
  const placed = ctx.state.load<StartedPlacement>();
  stopAnnouncer(placed?.announcerPid);
  const ours = placed?.nic ?? p.nic;
  const found = await locate(address, ours, ctx);
  if (found === undefined) {
    ctx.state.remove();
    return;
  }
  if (ours !== undefined && found.nic !== ours) {
    ctx.log.warn(`${address.text} is on ${found.nic}, not on ${ours}: leaving it, it was not added by this resource`);
    ctx.state.remove();
    return;
  }
  await deleteAddress(address, found.nic, found.prefix, ctx.deadline);
  if ((await locate(address, found.nic, ctx))?.nic === found.nic)
    throw new OcfError(Ocf.ERR_GENERIC, `${address.text} is still on ${found.nic} after deleting it`);
  ctx.state.remove();
  ctx.log.info(`${address.text}/${found.prefix} removed from ${found.nic}`);
}

/** One look at the kernel's addresses; no detection, and no process unless arp_count_refresh asks for ARPs. */
export async function monitor(p: VipParams, ctx: ResourceContext): Promise<MonitorResult> {
  const address = parseAddress(p.ip);
  const placed = ctx.state.load<Placement>();
  const ours = placed?.nic ?? p.nic;
  if (ours !== undefined && !linkExists(ours)) {
    if (placed === undefined) throw new OcfError(Ocf.ERR_ARGS, `interface ${ours} does not exist on this node`);
    throw new OcfError(Ocf.NOT_RUNNING, `interface ${ours} has disappeared; ${address.text} is gone with it`);
  }
  const found = findAddress(address);
  if (found === undefined) {
    if (ours !== undefined && !linkIsUp(ours)) {
      if (p.check_link_status) throw new OcfError(Ocf.NOT_RUNNING, `interface ${ours} is down`);
      return (await prefixOnLink(address, ours, ctx.deadline)) !== undefined ? Ocf.SUCCESS : Ocf.NOT_RUNNING;
    }
    return Ocf.NOT_RUNNING;
  }
  if (ours !== undefined && found.nic !== ours)
    throw new OcfError(Ocf.ERR_GENERIC, `${address.text} is on ${found.nic}, not on ${ours} where it belongs`);
  if (found.dadFailed) throw new OcfError(Ocf.ERR_GENERIC, `${address.text} failed duplicate address detection on ${found.nic}: another host holds it`);
  if (placed !== undefined && found.prefix !== placed.prefix)
    throw new OcfError(Ocf.ERR_GENERIC, `${address.text} is on ${found.nic} with prefix /${found.prefix}, not /${placed.prefix} as started`);
  if (p.check_link_status && !linkIsUp(found.nic)) throw new OcfError(Ocf.NOT_RUNNING, `interface ${found.nic} is down`);
  if (p.arp_count_refresh > 0 && address.family === 4 && hasCapability(CAP_NET_RAW)) await refreshArp(address, found.nic, p.arp_count_refresh, ctx.deadline);
  return Ocf.SUCCESS;
}

// nic and prefix come from the parameters, else from the covering route: decided once, here.
async function choosePlacement(p: VipParams, address: FloatingAddress, ctx: ResourceContext): Promise<Placement> {
  const prefix = p.cidr_netmask !== undefined ? parsePrefix(p.cidr_netmask, address.family) : undefined;
  if (p.nic !== undefined && prefix !== undefined) return { nic: p.nic, prefix, family: address.family };
  if (p.nic !== undefined && !linkExists(p.nic)) throw new OcfError(Ocf.ERR_ARGS, `interface ${p.nic} does not exist on this node`);
  const route = await routeFor(address, p.nic, ctx.deadline);
  if (route === undefined)
    throw new OcfError(
      Ocf.ERR_ARGS,
      `no route on this node covers ${address.text}${p.nic ? ` through ${p.nic}` : ''}: set nic and cidr_netmask, or add an address on that network`,
    );
  return { nic: p.nic ?? route.nic, prefix: prefix ?? route.prefix, family: address.family };
}

async function waitForDad(address: FloatingAddress, ctx: ResourceContext): Promise<void> {
  await waitUntil(
    `duplicate address detection of ${address.text}`,
    async () => {
      const found = findAddress(address);
      if (found?.dadFailed)
        throw new OcfError(Ocf.ERR_GENERIC, `${address.text} failed duplicate address detection on ${found.nic}: another host on the segment holds it`);
      return found !== undefined && !found.tentative;
    },
    ctx.deadline.leaving(1000),
    100,
  );
}

async function locate(address: FloatingAddress, nic: string | undefined, ctx: ResourceContext): Promise<{ nic: string; prefix: number } | undefined> {
  const found = findAddress(address);
  if (found !== undefined) return found;
  if (nic === undefined || !linkExists(nic)) return undefined;
  const prefix = await prefixOnLink(address, nic, ctx.deadline); // a down link hides its addresses from getifaddrs
  return prefix === undefined ? undefined : { nic, prefix };
}

async function removeAfterFailedStart(address: FloatingAddress, placement: Placement, ctx: ResourceContext): Promise<void> {
  try {
    await deleteAddress(address, placement.nic, placement.prefix, ctx.deadline.within(Math.max(1000, ctx.deadline.remainingMs())));
  } catch (e) {
    ctx.log.err(`could not remove ${address.text} from ${placement.nic} after the failed start: ${e instanceof Error ? e.message : String(e)}`);
  }
  await sleep(0);
  ctx.state.remove();
}
