// SPDX-License-Identifier: Apache-2.0
import { which } from '../../lib/exec/which.js';
import { Ocf } from '../../lib/ocf/exit-codes.js';
import { OcfError } from '../../lib/ocf/ocf-error.js';
import type { VmParams } from './spec.js';

/** The programs a start needs: virsh always, rbd for the XML in RBD and for the image-in-use check. */
export function toolsForStart(p: VmParams): string[] {
  return p.seapath || p.check_image_in_use ? ['virsh', 'rbd'] : ['virsh'];
}

/** Throws ERR_INSTALLED naming the missing programs (a probe turns it into "not running"). */
export function requireTools(tools: readonly string[], agent: string): void {
  const missing = tools.filter((t) => which(t) === undefined);
  if (missing.length > 0)
    throw new OcfError(Ocf.ERR_INSTALLED, `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed on this node (needed by ${agent})`);
}
