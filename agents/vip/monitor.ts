// SPDX-License-Identifier: Apache-2.0
// vip monitor: the kernel's address list, read without starting any process.
import { CAP_NET_RAW, hasCapability } from '../../lib/exec/index.js';
import { Ocf, OcfError, type MonitorResult } from '../../lib/ocf/index.js';
import { announceSettings, refreshArp } from './announce.js';
import { linkExists, linkIsUp, someLinkHidden } from './interfaces.js';
import { isSavedState, placementIn } from './saved-state.js';
import type { VipParams } from './spec.js';
import { vipSettings } from './stock-params.js';
import type { VipContext } from './context.js';
import { belongsOn, locate } from './placement.js';

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
