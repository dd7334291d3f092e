// SPDX-License-Identifier: Apache-2.0
import type { Logger } from '../../lib/log/index.js';
import { Ocf, OcfError } from '../../lib/ocf/index.js';
import type { VmParams } from './spec.js';

/**
 * VirtualDomain parameters this agent refuses: ignoring them would change what happens on disk.
 * Checked by start and validate-all only, so that stop, monitor and migrate_to still act on a VM that
 * the stock agent started with them (a 6 there would stop it on every node).
 */
export function refuseUnsupportedStockParams(p: VmParams): void {
  if (p.snapshot !== undefined)
    throw new OcfError(
      Ocf.ERR_CONFIGURED,
      `parameter snapshot is not supported: VirtualDomain saves the guest's RAM into ${p.snapshot} at stop and resumes it at start, ` +
        `which on shared RBD disks can resume a guest over a disk that moved on; unset it`,
    );
  if (p.backingfile !== undefined)
    throw new OcfError(
      Ocf.ERR_CONFIGURED,
      `parameter backingfile is not supported: VirtualDomain runs the domain on a node-local qcow2 overlay of ${p.backingfile}, so ` +
        `each node would have its own disk; unset it and give the domain its RBD disk`,
    );
  if (p.stateless)
    throw new OcfError(
      Ocf.ERR_CONFIGURED,
      'parameter stateless=true is not supported: it recreates a node-local backingfile overlay at every start; unset it',
    );
}

/** VirtualDomain parameters accepted without effect: each gets a WARNING that says why. */
export function warnNoEffectStockParams(p: VmParams, log: Logger): void {
  if (p.copyindirs !== undefined)
    log.warn(
      `parameter copyindirs has no effect: VirtualDomain copies directories into the guest only in stateless mode` +
        `, which this agent refuses`,
    );
}
