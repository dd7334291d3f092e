// SPDX-License-Identifier: Apache-2.0
import { CAP_NET_ADMIN, CAP_NET_RAW, hasCapability } from '../../lib/exec/index.js';
import { Ocf, OcfError, type MonitorResult, type ResourceContext, type ToolNeed } from '../../lib/ocf/index.js';
import { stepDeadline, waitUntil } from '../../lib/time/index.js';
import { isIPv4, parseAddress, parsePrefix, type FloatingAddress } from './address.js';
import { announce, announceTools, refreshArp, stopAnnouncers, type AnnounceSettings } from './announce.js';
import { askSegment } from './duplicate.js';
import { solicitFrom } from './solicit.js';
import {
  findAddress,
  linkExists,
  linkHasCarrier,
  linkIsAdminUp,
  linkIsRunning,
  linkIsUp,
  someLinkHidden,
  type FoundAddress,
} from './interfaces.js';
import {
  addAddress,
  addressesOn,
  addAddressLabel,
  deleteAddress,
  deleteAddressLabel,
  flushRouteCache,
  prefixOnLink,
  routeFor,
  setLinkDownIfUnchanged,
  setLinkUp,
  type Placement,
} from './iproute.js';
import { isSavedState, placementIn, type LoopbackAside, type StartedPlacement } from './saved-state.js';
import type { VipParams } from './spec.js';
import { noEffectWarnings, refuseClone, refuseOtherNamespace, refuseUnimplemented, vipSettings, type VipSettings } from './stock-params.js';
import { messageOf } from '../../lib/unknown/index.js';

/** What every vip hook works on: the address of `ip`, parsed once per action by the kit (resolve). */
export type VipContext = ResourceContext<FloatingAddress>;

/** The address parameter ip, parsed (6 when it is no address). */
export function resolve(p: VipParams): FloatingAddress {
  return parseAddress(p.ip);
}

/**
 * Consistency of the parameters alone: wrong here means wrong on every node (6). Stop and monitor
 * only need the address: they look for it whatever else the configuration says, since an answer
 * from the configuration alone ("stopped", "not running") would leave an address up unseen.
 */
export function validate(p: VipParams, ctx: VipContext): void {
  refuseOtherNamespace(p);
  if (ctx.action !== 'start' && ctx.action !== 'validate-all') return;
  const address = ctx.resolved;
  refuseUnimplemented(p, address.family);
  const s = vipSettings(p, address.family);
  if (s.cidrNetmask !== undefined) parsePrefix(s.cidrNetmask, address.family);
  if (p.broadcast !== undefined && !['+', '-'].includes(p.broadcast) && !isIPv4(p.broadcast))
    throw new OcfError(Ocf.ERR_CONFIGURED, `broadcast '${p.broadcast}' is not an IPv4 address, '+' or '-'`);
  if (p.broadcast !== undefined && address.family === 6)
    throw new OcfError(Ocf.ERR_CONFIGURED, 'broadcast applies to IPv4 addresses only; unset it for an IPv6 ip');
  if (s.iflabel !== undefined && s.nic !== undefined) refuseLongLabel(s.nic, s.iflabel);
  if (address.family === 6 && !/^(forever|\d+)$/.test(p.preferred_lft.trim()))
    throw new OcfError(Ocf.ERR_CONFIGURED, `preferred_lft '${p.preferred_lft}' must be 'forever' or a number of seconds`);
  if (address.family === 6 && address.text.startsWith('fe80:') && s.nic === undefined)
    throw new OcfError(Ocf.ERR_CONFIGURED, `link-local address ${address.text} needs the nic parameter`);
  refuseClone(ctx);
  for (const w of noEffectWarnings(p, address.family)) ctx.log.warn(w);
}

// IPaddr2's check, wherever the interface comes from (nic, or the route at start).
function refuseLongLabel(nic: string, iflabel: string): void {
  if (`${nic}:${iflabel}`.length > 15)
    throw new OcfError(Ocf.ERR_CONFIGURED, `label ${nic}:${iflabel} is longer than the kernel's 15 characters; shorten iflabel`);
}

/** ip for every action; start (and validate-all) also the sender of announcements, when there are any to send. */
export function tools(p: VipParams, ctx: VipContext): ToolNeed[] {
  const announces = (ctx.action === 'start' || ctx.action === 'validate-all') && (p.arp_count > 0 || p.arp_count_refresh > 0);
  return [{ tools: ['ip'] }, ...(announces ? [{ tools: announceTools(ctx.resolved.family), neededFor: `to announce ${p.ip}` }] : [])];
}

/**
 * Checks of this node before start and at validate-all level 10. validate-all also finds the
 * interface and prefix start would use (the route, as IPaddr2's findif at every level) and checks
 * the label against it; start does that itself when it places the address.
 */
export async function validateHost(p: VipParams, ctx: VipContext): Promise<void> {
  const s = vipSettings(p, ctx.resolved.family);
  if (s.nic !== undefined && !linkExists(s.nic)) throw new OcfError(Ocf.ERR_ARGS, `interface ${s.nic} does not exist on this node`);
  if (ctx.action !== 'validate-all') return;
  const placement = await choosePlacement(s, ctx.resolved, ctx);
  if (s.iflabel !== undefined) refuseLongLabel(placement.nic, s.iflabel);
}

export async function start(p: VipParams, ctx: VipContext): Promise<void> {
  if ((await monitor(p, ctx).catch(() => Ocf.NOT_RUNNING)) === Ocf.SUCCESS) return; // starting twice is a success
  const address = ctx.resolved;
  refuseWithoutNetAdmin(`add ${address.text}`);
  const s = vipSettings(p, address.family);
  const placement = await choosePlacement(s, address, ctx);
  if (!linkExists(placement.nic)) throw new OcfError(Ocf.ERR_ARGS, `interface ${placement.nic} does not exist on this node`);
  if (s.iflabel !== undefined) refuseLongLabel(placement.nic, s.iflabel);
  const broughtUp = !linkIsAdminUp(placement.nic);
  const addressesBefore = broughtUp ? await addressesOn(placement.nic, ctx.deadline) : [];
  // Steps that change the node end a second before the backstop: their own error, and the undo, come first.
  if (broughtUp) await setLinkUp(placement.nic, stepDeadline(ctx.deadline));
  // A failing start leaves the link down as it found it, unless another address came onto it meanwhile.
  const restoreLink = async (): Promise<void> => {
    if (!broughtUp) return;
    const down = await ctx.bestEffort(
      `setting ${placement.nic} down again`,
      (d) => setLinkDownIfUnchanged(placement.nic, addressesBefore, d),
      { settled: false }, // the start is failing: a backstop here must not answer success
    );
    if (down === false) ctx.log.info(`${placement.nic} was down before this start; another address came onto it since: left up`);
  };
  const carrier = linkHasCarrier(placement.nic);
  try {
    // Before anything is added: nothing to undo but the link, and Pacemaker can try another node.
    if (!carrier && p.check_link_status)
      throw new OcfError(Ocf.ERR_GENERIC, `interface ${placement.nic} is down (no carrier); cannot serve ${address.text}`);
    await refuseIfTakenWhenAllowed(address, placement.nic, s, carrier, ctx);
  } catch (e) {
    await restoreLink();
    throw e;
  }

  const label = s.iflabel !== undefined ? `${placement.nic}:${s.iflabel}` : undefined;
  const addressLabel = address.family === 6 && p.lvs_ipv6_addrlabel ? p.lvs_ipv6_addrlabel_value : undefined;
  // IPaddr2 goes on when the label cannot be added (one left by an earlier run, say); stop removes it all the same.
  if (addressLabel !== undefined)
    await ctx.bestEffort(
      `adding the IPv6 address label ${addressLabel} of ${address.text}`,
      (d) => addAddressLabel(address, addressLabel, d),
      { settled: false }, // the address is not added yet
    );
  const loopbackPrefix = await moveLoopbackCopyAside(p, address, ctx).catch(async (e: unknown) => {
    await restoreLink();
    throw e;
  });
  const started: StartedPlacement = { ...placement, addressLabel, loopbackPrefix };
  try {
    await addAddress(
      address,
      placement,
      { broadcast: p.broadcast, label, preferredLft: p.preferred_lft, nodad: s.nodad, noprefixroute: p.noprefixroute },
      stepDeadline(ctx.deadline),
    );
  } catch (e) {
    await undoBeforeAddress(address, started, ctx);
    await restoreLink();
    throw e;
  }
  ctx.state.save(started);
  if (!carrier) {
    // IPaddr2 adds the address all the same; the kernel serves it once the carrier returns.
    ctx.log.warn(`${address.text}/${placement.prefix} added on ${placement.nic}, which has no carrier: it serves once the link returns`);
    return;
  }
  try {
    if (address.family === 6 && !s.nodad) await waitForDad(address, placement.nic, ctx);
  } catch (e) {
    await removeAfterFailedStart(address, started, ctx);
    await restoreLink();
    throw e;
  }
  if (hasCapability(CAP_NET_RAW)) {
    await ctx.bestEffort(`announcing ${address.text} on ${placement.nic}`, (deadline) =>
      announce(address, placement.nic, placement.prefix, p.arp_count, announceSettings(p, s), deadline),
    );
  } else if (p.arp_count > 0 && placement.nic !== 'lo') {
    const neighbour = await ctx.bestEffort(`announcing ${address.text} on ${placement.nic}`, (deadline) =>
      address.family === 4 ? solicitFrom(address, placement.nic, placement.prefix, deadline) : Promise.resolve(undefined),
    );
    ctx.log.info(
      neighbour === undefined
        ? `no cap_net_raw to announce ${address.text}: peers find it when their neighbour entry expires (NUD)`
        : `no cap_net_raw for gratuitous ARP: announced ${address.text} as the sender of the kernel's ARP requests for ${neighbour}`,
    );
  }
  ctx.log.info(`${address.text}/${placement.prefix} added on ${placement.nic}`);
}

// Without cap_net_raw (SEAPATH's hardened pacemaker.service drops it) neither arping nor
// send_arp/send_ua can run: the duplicate check is skipped with a warning and the address is
// announced through the kernel's own solicitation (solicit.ts).
async function refuseIfTakenWhenAllowed(
  address: FloatingAddress,
  nic: string,
  s: VipSettings,
  carrier: boolean,
  ctx: VipContext,
): Promise<void> {
  if (address.family !== 4 || !s.checkIPv4Duplicate || !carrier || nic === 'lo') return;
  if (hasCapability(CAP_NET_RAW)) await refuseIfTaken(address, nic, ctx);
  else
    ctx.log.warn(
      `no cap_net_raw (outside this service's capability bounding set): ${address.text} is added without arping's duplicate address check`,
    );
}

/** lvs_support (IPv4): the copy an LVS-DR real server keeps on lo is removed while the address runs here; returns its prefix. */
async function moveLoopbackCopyAside(p: VipParams, address: FloatingAddress, ctx: VipContext): Promise<number | undefined> {
  if (!p.lvs_support || address.family !== 4) return undefined;
  const onLo = findAddress(address, 'lo');
  // Already moved by a start that ended before saving its placement: still to be put back.
  if (onLo?.nic !== 'lo') return ctx.state.load(isSavedState)?.loopbackPrefix;
  // Saved first: a stop after a crash here still puts the copy back.
  ctx.state.save({ loopbackPrefix: onLo.prefix } satisfies LoopbackAside);
  await deleteAddress(address, 'lo', onLo.prefix, stepDeadline(ctx.deadline));
  ctx.log.info(`lvs_support: ${address.text}/${onLo.prefix} removed from lo while it runs here; stop puts it back`);
  return onLo.prefix;
}

async function restoreLoopbackCopy(address: FloatingAddress, prefix: number, ctx: VipContext, deadline = ctx.deadline): Promise<void> {
  if (findAddress(address, 'lo')?.nic === 'lo') return;
  await addAddress(address, { nic: 'lo', prefix, family: address.family }, { nodad: false, noprefixroute: false }, deadline);
  ctx.log.info(`lvs_support: ${address.text}/${prefix} put back on lo`);
}

export async function stop(p: VipParams, ctx: VipContext): Promise<void> {
  const address = ctx.resolved;
  const s = vipSettings(p, address.family);
  const saved = ctx.state.load(isSavedState);
  const added = placementIn(saved);
  stopAnnouncers(address);
  const ours = added?.nic ?? (await belongsOn(s, address, ctx));
  // The copy this resource added (saved prefix, else cidr_netmask): another copy someone added is not its to remove.
  const ourPrefix = added?.prefix ?? prefixParameter(s, address);
  const found = await locate(address, ours, ctx, ourPrefix);
  if (found !== undefined && ours !== undefined && found.nic !== ours) {
    ctx.log.warn(
      `${address.text} is on ${found.nic}, not on ${ours} where this resource ${added ? 'added' : 'would add'} it: leaving it there`,
    );
  } else if (found !== undefined && ours === undefined && found.nic === 'lo') {
    ctx.log.info(`${address.text} is only on lo, which a floating address without nic=lo never uses: leaving it there`);
  } else if (found !== undefined) {
    refuseWithoutNetAdmin(`remove ${address.text} from ${found.nic}`);
    await deleteAddress(address, found.nic, found.prefix, ctx.deadline);
    const left = await locate(address, found.nic, ctx, found.prefix);
    if (left?.nic === found.nic && left.prefix === found.prefix)
      throw new OcfError(Ocf.ERR_GENERIC, `${address.text}/${found.prefix} is still on ${found.nic} after deleting it`);
    if (p.flush_routes) await flushRouteCache(ctx.deadline);
    ctx.log.info(`${address.text}/${found.prefix} removed from ${found.nic}`);
    if (left?.nic === found.nic)
      ctx.log.warn(`${address.text}/${left.prefix} is also on ${left.nic}, added by something else than this resource: leaving it there`);
  }
  const loopbackPrefix = saved?.loopbackPrefix;
  // As IPaddr2's stop: the floating address is gone, which is what the stop is for; a copy not put back is logged.
  if (loopbackPrefix !== undefined)
    await ctx.bestEffort(`putting ${address.text}/${loopbackPrefix} back on lo (lvs_support)`, (d) =>
      restoreLoopbackCopy(address, loopbackPrefix, ctx, d),
    );
  const label = added?.addressLabel ?? (address.family === 6 && p.lvs_ipv6_addrlabel ? p.lvs_ipv6_addrlabel_value : undefined);
  if (label !== undefined)
    await ctx.bestEffort(`removing the address label of ${address.text}`, (d) => deleteAddressLabel(address, label, d));
  ctx.state.remove();
}

/**
 * IPaddr2 answers 4 (insufficient privileges) to a start or stop by a user other than root; what
 * changing an address takes is cap_net_admin, which a hardened service may also lack as root.
 * A stop with nothing to remove needs no privilege, so it is only asked for once there is.
 */
function refuseWithoutNetAdmin(what: string): void {
  if (!hasCapability(CAP_NET_ADMIN))
    throw new OcfError(
      Ocf.ERR_PERM,
      `cannot ${what}: this process lacks cap_net_admin ` +
        "(the agent must run as root, with cap_net_admin in the service's capability bounding set)",
    );
}

/** cidr_netmask as a prefix, or undefined when unset or unreadable (stop does not fail on it). */
function prefixParameter(s: VipSettings, address: FloatingAddress): number | undefined {
  if (s.cidrNetmask === undefined) return undefined;
  try {
    return parsePrefix(s.cidrNetmask, address.family);
  } catch {
    return undefined;
  }
}

/** Where this resource's address belongs without saved state: on nic, else where start would add it. */
async function belongsOn(s: VipSettings, address: FloatingAddress, ctx: VipContext): Promise<string | undefined> {
  return s.nic ?? (await routeFor(address, undefined, ctx.deadline).catch(() => undefined))?.nic;
}

/** One look at the kernel's addresses (`ip` only for a link getifaddrs hides); no process unless arp_count_refresh asks for ARPs. */
export async function monitor(p: VipParams, ctx: VipContext): Promise<MonitorResult> {
  const address = ctx.resolved;
  const s = vipSettings(p, address.family);
  const placed = placementIn(ctx.state.load(isSavedState));
  let ours = placed?.nic ?? s.nic;
  if (ours !== undefined && !linkExists(ours)) {
    if (placed === undefined) return Ocf.NOT_RUNNING; // nothing of this resource can be on an interface this node lacks
    throw new OcfError(Ocf.NOT_RUNNING, `interface ${ours} has disappeared; ${address.text} is gone with it`);
  }
  let found = await locate(address, ours, ctx, placed?.prefix);
  // Not started here (no state) and no nic: it counts only where start would add it, as stop removes it
  // only there. Asked only when the address may be here: seen, or on a link getifaddrs hides.
  if (ours === undefined && (found !== undefined || (address.family === 4 && someLinkHidden()))) {
    ours = await belongsOn(s, address, ctx);
    if (ours !== undefined) found = (await locate(address, ours, ctx)) ?? found;
  }
  if (found === undefined) return Ocf.NOT_RUNNING;
  // Elsewhere than on its interface (an LVS-DR copy on lo, a leftover): not this resource, as IPaddr2 counts it.
  if (ours !== undefined && found.nic !== ours)
    throw new OcfError(Ocf.NOT_RUNNING, `${address.text} is on ${found.nic}, not on ${ours} where it belongs`);
  if (ours === undefined && found.nic === 'lo')
    throw new OcfError(Ocf.NOT_RUNNING, `${address.text} is only on lo, which a floating address without nic=lo never uses`);
  if (found.dadFailed)
    throw new OcfError(Ocf.ERR_GENERIC, `${address.text} failed duplicate address detection on ${found.nic}: another host holds it`);
  if (placed !== undefined && found.prefix !== placed.prefix)
    throw new OcfError(
      Ocf.ERR_GENERIC,
      `${address.text} is on ${found.nic} with prefix /${found.prefix}, not /${placed.prefix} as started`,
    );
  if (p.check_link_status && !linkIsUp(found.nic)) throw new OcfError(Ocf.NOT_RUNNING, `interface ${found.nic} is down`);
  if (p.arp_count_refresh > 0 && address.family === 4 && linkIsUp(found.nic) && hasCapability(CAP_NET_RAW))
    await ctx.bestEffort(`refreshing ${address.text}'s gratuitous ARPs`, (d) =>
      refreshArp(address, found.nic, p.arp_count_refresh, announceSettings(p, s), d),
    );
  return Ocf.SUCCESS;
}

function announceSettings(p: VipParams, s: VipSettings): AnnounceSettings {
  return { intervalMs: p.arp_interval, sendArpOptions: s.sendArpOptions, background: s.arpBackground };
}

// nic and prefix come from the parameters, else from the covering route: decided once, here.
async function choosePlacement(s: VipSettings, address: FloatingAddress, ctx: VipContext): Promise<Placement> {
  const prefix = s.cidrNetmask !== undefined ? parsePrefix(s.cidrNetmask, address.family) : undefined;
  if (s.nic !== undefined && prefix !== undefined) return { nic: s.nic, prefix, family: address.family };
  if (s.nic !== undefined && !linkExists(s.nic)) throw new OcfError(Ocf.ERR_ARGS, `interface ${s.nic} does not exist on this node`);
  const route = await routeFor(address, s.nic, ctx.deadline);
  if (route === undefined)
    throw new OcfError(
      Ocf.ERR_ARGS,
      `no directly connected route on this node covers ${address.text}${s.nic ? ` through ${s.nic}` : ''}: set nic and cidr_netmask, ` +
        `or add an address on that network`,
    );
  return { nic: s.nic ?? route.nic, prefix: prefix ?? route.prefix, family: address.family };
}

// Refuses only on a clear answer from another host; "cannot tell" never blocks a start.
async function refuseIfTaken(address: FloatingAddress, nic: string, ctx: VipContext): Promise<void> {
  const answer = await askSegment(address, nic, ctx.deadline);
  if (answer.state === 'taken')
    throw new OcfError(
      Ocf.ERR_GENERIC,
      `${address.text} already answers on the segment of ${nic} (host ${answer.by} holds it); ` +
        `refusing to start to avoid a duplicate address. Set check_duplicate=false to skip this check`,
    );
  if (answer.state === 'unknown')
    ctx.log.warn(`cannot check whether another host holds ${address.text}: ${answer.why}; adding it without the check`);
}

async function waitForDad(address: FloatingAddress, nic: string, ctx: VipContext): Promise<void> {
  await waitUntil(
    `duplicate address detection of ${address.text}`,
    async () => {
      const found = findAddress(address, nic);
      if (found?.dadFailed)
        throw new OcfError(
          Ocf.ERR_GENERIC,
          `${address.text} failed duplicate address detection on ${found.nic}: another host on the segment holds it`,
        );
      return found !== undefined && !found.tentative;
    },
    ctx.deadline.leaving(1000),
    100,
  );
}

/**
 * The address on `nic` first (with `prefix` first there), including on a link getifaddrs hides
 * (no carrier, down, dormant); else anywhere.
 */
async function locate(
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

// Not a best-effort step: the start is failing, and the backstop must still report it.
async function removeAfterFailedStart(address: FloatingAddress, placed: StartedPlacement, ctx: VipContext): Promise<void> {
  try {
    await deleteAddress(address, placed.nic, placed.prefix, ctx.deadline);
  } catch (e) {
    ctx.log.err(`could not remove ${address.text} from ${placed.nic} after the failed start: ${messageOf(e)}`);
  }
  await undoBeforeAddress(address, placed, ctx);
}

/** What start changed before adding the address: the loopback copy moved aside, the IPv6 address label. */
async function undoBeforeAddress(address: FloatingAddress, placed: StartedPlacement, ctx: VipContext): Promise<void> {
  try {
    if (placed.loopbackPrefix !== undefined) await restoreLoopbackCopy(address, placed.loopbackPrefix, ctx);
    if (placed.addressLabel !== undefined) await deleteAddressLabel(address, placed.addressLabel, ctx.deadline);
  } catch (e) {
    ctx.log.err(`could not undo the failed start of ${address.text}: ${messageOf(e)}`);
  }
  ctx.state.remove();
}
