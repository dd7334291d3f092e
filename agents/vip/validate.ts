// SPDX-License-Identifier: Apache-2.0
// vip's parameter checks: the address parsed, values, tools, and what this node has.
import { Ocf, OcfError, type ToolNeed } from '../../lib/ocf/index.js';
import { isIPv4, parseAddress, parsePrefix, type FloatingAddress } from './address.js';
import { announceTools } from './announce.js';
import { linkExists } from './interfaces.js';
import type { VipParams } from './spec.js';
import { noEffectWarnings, refuseClone, refuseOtherNamespace, refuseUnimplemented, vipSettings } from './stock-params.js';
import type { VipContext } from './context.js';
import { choosePlacement } from './placement.js';
import { refuseLongLabel } from './preconditions.js';

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
  refuseUnimplemented(p);
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

/**
 * ip for start and validate-all, which also need the sender of announcements when there are any
 * to send. Monitor and stop read the kernel's addresses without it, so they look before anything
 * is missed: a stop without ip that finds the address fails (5), as IPaddr2's, where a check up front
 * would have it answer "stopped" (0) with the address still up; a probe that finds it says so.
 */
export function tools(p: VipParams, ctx: VipContext): ToolNeed[] {
  if (ctx.action !== 'start' && ctx.action !== 'validate-all') return [];
  const announces = p.arp_count > 0 || p.arp_count_refresh > 0;
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
