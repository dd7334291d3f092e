// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import type { ToolNeed } from '../../lib/ocf/index.js';
import { parseDomainXml } from './domain-xml.js';
import type { VmContext } from './identity.js';
import type { VmParams } from './spec.js';

/**
 * The programs each action needs. A start: virsh, rbd for the XML in RBD or for the image guard
 * (rados too, for its start lock), csync2 to sync the XML at stop. An arriving migration, a monitor, a migrate_to: virsh.
 * A stop needs none: without virsh it kills the domain's QEMU itself.
 */
export function vmTools(p: VmParams, ctx: VmContext): ToolNeed[] {
  switch (ctx.action) {
    case 'start':
    case 'validate-all':
      return [
        { tools: [...(p.seapath ? ['virsh', 'rbd'] : ['virsh']), ...(p.sync_config_on_stop ? ['csync2'] : [])] },
        ...(p.seapath && p.check_image_in_use ? [{ tools: ['rados'], neededFor: 'by check_image_in_use for the start lock' }] : []),
        ...imageCheckNeed(p, ctx),
      ];
    case 'monitor':
    case 'migrate_to':
    case 'migrate_from':
      return [{ tools: ['virsh'] }];
    default:
      return [];
  }
}

/**
 * rbd for check_image_in_use (seapath=false) only when the local XML has an image to check. An XML
 * that cannot be read or parsed needs nothing here: validateHost and start say what is wrong with it.
 */
function imageCheckNeed(p: VmParams, ctx: VmContext): ToolNeed[] {
  if (p.seapath || !p.check_image_in_use) return [];
  let images: readonly string[];
  try {
    images = parseDomainXml(readFileSync(ctx.resolved.config, 'utf8')).exclusiveRbdImages;
  } catch {
    return [];
  }
  return images.length > 0 ? [{ tools: ['rbd', 'rados'], neededFor: `by check_image_in_use to check ${images.join(', ')}` }] : [];
}
