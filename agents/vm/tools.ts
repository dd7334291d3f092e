// SPDX-License-Identifier: Apache-2.0
import type { ResourceContext, ToolNeed } from '../../lib/ocf/index.js';
import type { VmParams } from './spec.js';

/**
 * The programs each action needs. A start: virsh, rbd for the XML in RBD, csync2 to sync the XML at
 * stop. An arriving migration, a monitor, a migrate_to: virsh.
 * A stop needs none: without virsh it kills the domain's QEMU itself.
 */
export function vmTools(p: VmParams, ctx: ResourceContext): ToolNeed[] {
  switch (ctx.action) {
    case 'start':
    case 'validate-all':
      return [
        // rbd for check_image_in_use only when the XML has an image to check: guarded-images.ts.
        { tools: [...(p.seapath ? ['virsh', 'rbd'] : ['virsh']), ...(p.sync_config_on_stop ? ['csync2'] : [])] },
      ];
    case 'monitor':
    case 'migrate_to':
    case 'migrate_from':
      return [{ tools: ['virsh'] }];
    default:
      return [];
  }
}
