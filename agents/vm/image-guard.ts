// SPDX-License-Identifier: Apache-2.0
import { ExecFailed } from '../../lib/exec/exec-failed.js';
import type { ResourceContext } from '../../lib/ocf/context.js';
import type { Deadline } from '../../lib/ocf/deadline.js';
import { sleep } from '../../lib/ocf/wait.js';
import { Ocf } from '../../lib/ocf/exit-codes.js';
import { OcfError } from '../../lib/ocf/ocf-error.js';
import { readClusterNodes } from '../../lib/cluster/nodes.js';
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
 * Holders on a node that Pacemaker reports offline and clean (fenced, or stopped cleanly) need no
 * wait: they are blocklisted, so even a QEMU that survived cannot write, and the start goes on.
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
      if (!(e instanceof OcfError) || !(e.cause instanceof HeldImages)) throw e;
      if (await releaseHoldersOfDownNodes(e.cause.holders, rbd, waitDeadline.within(10_000), ctx)) return;
      if (waitDeadline.remainingMs() < everyMs + 500) throw e;
      if (e.reason !== reported) ctx.log.info(`${e.cause.message}; waiting up to ${Math.round(waitDeadline.remainingMs() / 1000)} s for it to go away (a dead client's watch expires)`);
      reported = e.reason;
    }
    await sleep(everyMs, waitDeadline);
  }
}

/** The holders found on a VM's images, carried as the cause of the refusal. */
class HeldImages extends Error {
  override readonly name = 'HeldImages';
  constructor(
    message: string,
    readonly holders: readonly ImageHolder[],
  ) {
    super(message);
  }
}

/** `192.0.2.12:0/1102383160` or `[2001:db8::12]:0/77` → the host part. */
export function holderHost(address: string): string {
  const withoutNonce = address.split('/')[0] ?? address;
  const bracketed = /^\[([^\]]+)\]/.exec(withoutNonce);
  if (bracketed?.[1]) return bracketed[1];
  return withoutNonce.replace(/^v[12]:/, '').split(':')[0] ?? withoutNonce;
}

/**
 * True when every holder sits on a cluster node that Pacemaker reports offline and clean, after
 * blocklisting them: Pacemaker only reports a lost node clean once it has been fenced, so its QEMU
 * is gone. A holder elsewhere (an unknown host, an online or unclean node) keeps the refusal.
 */
async function releaseHoldersOfDownNodes(holders: readonly ImageHolder[], rbd: Rbd, deadline: Deadline, ctx: Pick<ResourceContext, 'log'>): Promise<boolean> {
  let nodes;
  try {
    nodes = await readClusterNodes(deadline);
  } catch {
    return false; // no cluster view (run outside a cluster): wait for the watch to expire instead
  }
  const downNodeOf = (h: ImageHolder) => nodes.find((n) => !n.online && !n.unclean && n.addresses.includes(holderHost(h.address)));
  if (holders.length === 0 || !holders.every((h) => downNodeOf(h) !== undefined)) return false;
  // One client often both watches and holds the exclusive lock: blocklist each address once.
  const unique = [...new Map(holders.map((h) => [h.address, h])).values()];
  for (const h of unique) {
    try {
      await rbd.blocklist(h.address, deadline);
      ctx.log.info(`${formatHolder(h)} belongs to ${downNodeOf(h)?.name}, which the cluster fenced: blocklisted it and going on`);
    } catch (e) {
      ctx.log.warn(`${formatHolder(h)} belongs to ${downNodeOf(h)?.name}, which the cluster fenced, but blocklisting it failed (${(e as Error).message}); going on`);
    }
  }
  return true;
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
    { cause: new HeldImages(what, held.flatMap((h) => h.holders)) },
  );
}
