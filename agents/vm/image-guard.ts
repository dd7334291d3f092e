// SPDX-License-Identifier: Apache-2.0
import { ExecFailed } from '../../lib/exec/exec-failed.js';
import type { ResourceContext } from '../../lib/ocf/context.js';
import type { Deadline } from '../../lib/ocf/deadline.js';
import { sleep } from '../../lib/ocf/wait.js';
import { Ocf } from '../../lib/ocf/exit-codes.js';
import { OcfError } from '../../lib/ocf/ocf-error.js';
import { formatHolder, type ImageHolder, type Rbd } from './rbd.js';

/**
 * Refuses a start while any of the VM's RBD images stays open (watcher) or locked by another client.
 * The domain is not running here, so a holder is another host's QEMU: after a split brain this is
 * what keeps one VM from running twice on the same disks.
 *
 * A QEMU that died with its node (a fenced node) leaves its watch behind until the OSDs time it
 * out (osd_client_watch_timeout, 30 s by default), while a live QEMU renews it for ever. So the
 * check waits, within `waitDeadline`, for holders to go away, and refuses only those that stay:
 * failover after fencing succeeds on the first start instead of banning every survivor.
 */
export async function waitUntilImagesFree(
  vmName: string,
  images: readonly string[],
  rbd: Rbd,
  waitDeadline: Deadline,
  ctx: Pick<ResourceContext, 'log'>,
  everyMs = 1000,
): Promise<void> {
  let reported = '';
  for (;;) {
    try {
      await refuseIfImagesInUse(vmName, images, rbd, waitDeadline.within(10_000), ctx.log);
      if (reported !== '') ctx.log.info(`the RBD images of ${vmName} are free now: the holder was stale`);
      return;
    } catch (e) {
      if (!(e instanceof OcfError) || !(e.cause instanceof HeldImages) || waitDeadline.remainingMs() < everyMs + 500) throw e;
      if (e.reason !== reported) ctx.log.info(`${e.cause.message}; waiting up to ${Math.round(waitDeadline.remainingMs() / 1000)} s for it to go away (a dead client's watch expires)`);
      reported = e.reason;
    }
    await sleep(everyMs, waitDeadline);
  }
}

/** The holders found on a VM's images, carried as the cause of the refusal. */
class HeldImages extends Error {
  override readonly name = 'HeldImages';
}

/**
 * Splits holders into live ones and stale exclusive locks. librbd's exclusive lock (id `auto <cookie>`)
 * outlives a QEMU that was killed (a fenced node) until another client takes the lock; its owner is
 * alive only while it also watches the image, which is how librbd itself decides to break it.
 * Watchers and advisory locks (`rbd lock add`, any other id) always count.
 */
export function sortHolders(holders: readonly ImageHolder[]): { live: ImageHolder[]; stale: ImageHolder[] } {
  const watchers = holders.filter((h) => h.kind === 'watcher');
  const isStale = (h: ImageHolder): boolean =>
    h.kind === 'lock' && (h.lockId ?? '').startsWith('auto ') && !watchers.some((w) => w.client === h.client || w.address === h.address);
  return { live: holders.filter((h) => !isStale(h)), stale: holders.filter(isStale) };
}

/** One look at the images' holders; throws OcfError(ERR_GENERIC) naming the live ones. */
export async function refuseIfImagesInUse(
  vmName: string,
  images: readonly string[],
  rbd: Rbd,
  deadline: Deadline,
  log?: Pick<ResourceContext, 'log'>['log'],
): Promise<void> {
  const held: { image: string; holders: ImageHolder[] }[] = [];
  await Promise.all(
    images.map(async (image) => {
      try {
        const { live, stale } = sortHolders(await rbd.holders(image, deadline));
        if (live.length > 0) held.push({ image, holders: live });
        else if (stale.length > 0) log?.info(`${image}: ignoring ${stale.map(formatHolder).join(', ')}: no watcher, so its owner is gone (librbd breaks such a lock)`);
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
    { cause: new HeldImages(what) },
  );
}
