// SPDX-License-Identifier: Apache-2.0
import type { Logger } from '../../lib/log/index.js';
import type { DomainXml } from './domain-xml.js';
import type { VmSource } from './identity.js';

/**
 * The RBD images check_image_in_use checks before a start; each disk it cannot map to an image gets
 * a WARNING naming it, since nothing then keeps the VM from running twice on that disk. Disks marked
 * <shareable/> or <readonly/> may be open elsewhere by design and are left out.
 */
export function imagesToGuard(vm: VmSource, dom: DomainXml, log: Logger): string[] {
  for (const disk of dom.unguardedDisks)
    log.warn(
      `check_image_in_use cannot check ${disk} of ${dom.name}: it checks rbd network disks only; ` +
        'make sure nothing else can run this VM on another host',
    );
  const images = [...new Set([...(vm.systemImage ? [vm.systemImage] : []), ...dom.exclusiveRbdImages])];
  // Local files, other block devices, shared or read-only disks: nothing for the guard, and no warning
  // above; said once per start, so that an admin reading why a VM ran twice finds it.
  if (images.length === 0 && dom.unguardedDisks.length === 0)
    log.info(`check_image_in_use: ${dom.name} has no writable RBD disk to check; nothing but Pacemaker keeps it from running twice`);
  return images;
}
