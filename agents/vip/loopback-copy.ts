// SPDX-License-Identifier: Apache-2.0
// lvs_support: the copy of the address on lo, moved aside while the address runs here.
import { stepDeadline } from '../../lib/time/index.js';
import type { FloatingAddress } from './address.js';
import { findAddress } from './interfaces.js';
import { addAddress, deleteAddress } from './iproute.js';
import { isSavedState, type LoopbackAside } from './saved-state.js';
import type { VipParams } from './spec.js';
import type { VipContext } from './context.js';

/** lvs_support (IPv4): the copy an LVS-DR real server keeps on lo is removed while the address runs here; returns its prefix. */
export async function moveLoopbackCopyAside(p: VipParams, address: FloatingAddress, ctx: VipContext): Promise<number | undefined> {
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

export async function restoreLoopbackCopy(
  address: FloatingAddress,
  prefix: number,
  ctx: VipContext,
  deadline = ctx.deadline,
): Promise<void> {
  if (findAddress(address, 'lo')?.nic === 'lo') return;
  await addAddress(address, { nic: 'lo', prefix, family: address.family }, { nodad: false, noprefixroute: false }, deadline);
  ctx.log.info(`lvs_support: ${address.text}/${prefix} put back on lo`);
}
