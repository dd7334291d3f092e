// SPDX-License-Identifier: Apache-2.0
// vip start: the address added, checked for duplicates, announced; a failed start undoes what it did.
import { CAP_NET_RAW, hasCapability } from '../../lib/exec/index.js';
import { Ocf, OcfError } from '../../lib/ocf/index.js';
import { stepDeadline, waitUntil } from '../../lib/time/index.js';
import type { FloatingAddress } from './address.js';
import { announce, announceSettings } from './announce.js';
import { askSegment } from './duplicate.js';
import { solicitFrom } from './solicit.js';
import { findAddress, linkExists, linkHasCarrier, linkIsAdminUp } from './interfaces.js';
import {
  addAddress,
  addressesOn,
  addAddressLabel,
  deleteAddress,
  deleteAddressLabel,
  setLinkDownIfUnchanged,
  setLinkUp,
} from './iproute.js';
import type { StartedPlacement } from './saved-state.js';
import type { VipParams } from './spec.js';
import { vipSettings, type VipSettings } from './stock-params.js';
import { messageOf } from '../../lib/unknown/index.js';
import type { VipContext } from './context.js';
import { moveLoopbackCopyAside, restoreLoopbackCopy } from './loopback-copy.js';
import { monitor } from './monitor.js';
import { choosePlacement } from './placement.js';
import { refuseLongLabel, refuseWithoutNetAdmin } from './preconditions.js';

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
  const carrier = broughtUp ? await carrierAfterLinkUp(placement.nic, ctx) : linkHasCarrier(placement.nic);
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

// Up to this long, and a quarter of what is left of the start, for a link this start brought up.
const carrierWaitMs = 5000;

/**
 * A link this start brought up gets its carrier a moment later (autonegotiation takes 1–3 s on a
 * physical NIC). Looked at at once, it would have the start skip the duplicate check and the
 * announcements (peers would keep the old node's MAC), or fail with check_link_status.
 */
async function carrierAfterLinkUp(nic: string, ctx: VipContext): Promise<boolean> {
  const waitMs = Math.floor(Math.min(carrierWaitMs, ctx.deadline.remainingMs() / 4));
  const hasCarrier = await waitUntil(
    `carrier on ${nic}`,
    () => Promise.resolve(linkHasCarrier(nic)),
    ctx.deadline.within(waitMs),
    100,
  ).then(
    () => true,
    () => false,
  );
  if (!hasCarrier) ctx.log.info(`${nic}, brought up by this start, still has no carrier after ${(waitMs / 1000).toFixed(1)} s`);
  return hasCarrier;
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
