// SPDX-License-Identifier: Apache-2.0
import { ExecFailed } from '../../lib/exec/exec-failed.js';
import type { Deadline } from '../../lib/ocf/deadline.js';
import { Ocf } from '../../lib/ocf/exit-codes.js';
import { OcfError } from '../../lib/ocf/ocf-error.js';
import { formatHolder, type ImageHolder, type Rbd } from './rbd.js';

/**
 * Refuses a start while any of the VM's RBD images is open (watcher) or locked by some client.
 * The domain is not running here, so a holder is another host's QEMU: after a split brain this
 * is what keeps one VM from running twice on the same disks.
 */
export async function refuseIfImagesInUse(vmName: string, images: readonly string[], rbd: Rbd, deadline: Deadline): Promise<void> {
  const held: { image: string; holders: ImageHolder[] }[] = [];
  await Promise.all(
    images.map(async (image) => {
      try {
        const holders = await rbd.holders(image, deadline);
        if (holders.length > 0) held.push({ image, holders });
      } catch (e) {
        if (e instanceof ExecFailed)
          throw new OcfError(
            Ocf.ERR_GENERIC,
            e.timedOut
              ? `cannot check whether RBD image ${image} is in use: rbd did not answer in time (is Ceph reachable?)`
              : `cannot check whether RBD image ${image} is in use: ${e.message}`,
            { cause: e },
          );
        throw e;
      }
    }),
  );
  if (held.length === 0) return;
  const what = held.map((h) => `${h.image} is held by ${h.holders.map(formatHolder).join(', ')}`).join('; ');
  throw new OcfError(
    Ocf.ERR_GENERIC,
    `refusing to start ${vmName}: ${what}. ${vmName} may be running on another host: stop it there ` +
      `(or find the client holding the image); set check_image_in_use=false only if nothing else can hold it`,
  );
}
