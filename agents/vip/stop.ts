// SPDX-License-Identifier: Apache-2.0
// vip stop: the address this resource added removed, and what start changed put back.
import { Ocf, OcfError } from '../../lib/ocf/index.js';
import { stopAnnouncers } from './announce.js';
import { deleteAddress, deleteAddressLabel, flushRouteCache } from './iproute.js';
import { isSavedState, placementIn } from './saved-state.js';
import type { VipParams } from './spec.js';
import { vipSettings } from './stock-params.js';
import type { VipContext } from './context.js';
import { restoreLoopbackCopy } from './loopback-copy.js';
import { belongsOn, locate, prefixParameter } from './placement.js';
import { refuseWithoutNetAdmin } from './preconditions.js';

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
    // As IPaddr2's (which ignores its result): the address is gone, which is what the stop is for.
    if (p.flush_routes) await ctx.bestEffort('flushing the route cache (flush_routes)', (d) => flushRouteCache(d));
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
