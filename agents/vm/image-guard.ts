// SPDX-License-Identifier: Apache-2.0
import { ExecFailed } from '../../lib/exec/index.js';
import type { ClusterView } from '../../lib/cluster/index.js';
import { Ocf, OcfError, type ResourceContext } from '../../lib/ocf/index.js';
import { sleep, type Deadline } from '../../lib/time/index.js';
import { judgeHolder, type HolderVerdict } from './holder-evidence.js';
import { formatHolder, type HeldLock, type ImageHolder } from './rbd.js';
import { messageOf } from '../../lib/unknown/index.js';

/** What the guard asks of Ceph; `Rbd` in production, an in-memory Ceph in unit tests. */
export interface HolderSource {
  holders(image: string, deadline: Deadline): Promise<ImageHolder[]>;
  /** Blocklists `address`; `lock`, one it holds, lets Ceph do it by breaking that lock (quicker). */
  blocklist(address: string, deadline: Deadline, lock?: HeldLock): Promise<void>;
  /** The Ceph user the commands run as, for exit reasons (`client.admin`). */
  readonly user: string;
}

export interface GuardOptions {
  /** Reads the cluster once per action; rejects where there is no cluster. */
  readonly readCluster: (deadline: Deadline) => Promise<ClusterView>;
  readonly log: Pick<ResourceContext, 'log'>['log'];
  readonly everyMs?: number;
}

/**
 * Refuses a start while any of the VM's RBD images is open (watcher) or locked by another client,
 * unless there is evidence that the holder's copy can no longer write:
 * - the holder is gone: its watch expired, or all that is left is librbd's exclusive lock of a client
 *   that no longer watches. A client whose watch expired may only be cut off from Ceph, not dead:
 *   the guard blocklists it (breaking its lock) before going on, so that its writes cannot land once
 *   its link is back. librbd would do the same, but only at the new copy's first write, and a client
 *   back by then would hand its lock over (exclusive-lock is cooperative);
 * - its node was fenced after it was last seen in the cluster (see judgeHolder): the guard then
 *   blocklists the holder and goes on once a fresh look shows it no longer watching. A blocklist
 *   that fails is a refusal, never "going on".
 * Otherwise it waits, within `waitDeadline`, for the holder to go away (a node that lost quorum
 * stops its copy; a dead QEMU's watch expires after osd_client_watch_timeout, 30 s by default),
 * then refuses naming the holder and the remedy.
 * The cluster is read once per action, and only when an image is held: Pacemaker schedules the
 * start of a lost node's VM only once its fencing is over, so the history read then has it.
 */
export async function waitUntilImagesFree(
  vmName: string,
  images: readonly string[],
  ceph: HolderSource,
  waitDeadline: Deadline,
  options: GuardOptions,
): Promise<void> {
  const { log } = options;
  const everyMs = options.everyMs ?? 1000;
  let view: Promise<ClusterView | undefined> | undefined;
  const readView = (): Promise<ClusterView | undefined> =>
    (view ??= options.readCluster(waitDeadline.within(10_000)).catch((e: unknown) => {
      log.info(`cannot read the cluster's state, so no holder can be proven gone by fencing: ${messageOf(e)}`);
      return undefined;
    }));
  const blocklisted = new Set<string>();
  let reported = '';
  for (;;) {
    const { held, stale } = await heldImages(images, ceph, blocklisted, waitDeadline.within(10_000));
    if (held.length === 0) {
      const unfenced = uniqueByAddress(stale.map((s) => s.holder)).filter((h) => !blocklisted.has(h.address));
      if (unfenced.length > 0) {
        const blocklistDeadline = waitDeadline.within(15_000);
        await Promise.all(
          unfenced.map(async (h) => {
            const lock = lockOf(h.address, stale);
            await blocklistOrRefuse(
              vmName,
              h,
              `that holds ${lock?.image ?? 'an image'}'s lock without watching it`,
              ceph,
              blocklistDeadline,
              lock,
            );
            blocklisted.add(h.address);
            log.info(
              `${lock?.image ?? 'an image'}: ${formatHolder(h)} holds the lock but no longer watches it (a dead QEMU, or one cut off ` +
                `from Ceph): blocklisted it, so that it cannot write if its link comes back`,
            );
          }),
        );
        continue; // a fresh look: the lock gone, or its owner blocklisted
      }
      if (reported !== '') log.info(`the RBD images of ${vmName} are free now`);
      return;
    }
    const holders = uniqueByAddress(held.flatMap((h) => h.holders));
    const current = await readView();
    const verdicts = new Map(holders.map((h) => [h.address, judgeHolder(vmName, h, current)]));
    const toBlocklist = holders.filter((h) => !blocklisted.has(h.address));
    if (toBlocklist.length > 0 && toBlocklist.every((h) => verdicts.get(h.address)?.kind === 'fenced')) {
      const blocklistDeadline = waitDeadline.within(15_000);
      await Promise.all(
        toBlocklist.map(async (h) => {
          await blocklistOrRefuse(
            vmName,
            h,
            `of fenced ${nodeOf(verdicts.get(h.address))}`,
            ceph,
            blocklistDeadline,
            lockOf(h.address, entriesOf(held)),
          );
          blocklisted.add(h.address);
          log.info(
            `${formatHolder(h)} belongs to ${nodeOf(verdicts.get(h.address))}, fenced at ${fencedAt(verdicts.get(h.address))}` +
              `: blocklisted it`,
          );
        }),
      );
      continue; // a fresh look at the images must show the blocklisted clients gone
    }
    const refusal = refusalOf(vmName, held, verdicts, blocklisted);
    if (waitDeadline.remainingMs() < everyMs + 500) throw refusal;
    if (refusal.reason !== reported)
      log.info(
        `${refusal.reason}; waiting up to ${Math.round(waitDeadline.remainingMs() / 1000)} s for it to go away ` +
          `(a dead client's watch expires)`,
      );
    reported = refusal.reason;
    await sleep(blocklisted.size > 0 ? Math.min(everyMs, 250) : everyMs, waitDeadline);
  }
}

interface HeldImage {
  readonly image: string;
  readonly holders: ImageHolder[];
}

/** A holder of one image; for `stale`, a lock whose owner no longer watches it (a dead QEMU's, or one cut off from Ceph). */
interface ImageEntry {
  readonly image: string;
  readonly holder: ImageHolder;
}

/** One fresh look at every image: the holders that count, and the stale locks. */
async function heldImages(
  images: readonly string[],
  ceph: HolderSource,
  blocklisted: ReadonlySet<string>,
  deadline: Deadline,
): Promise<{ held: HeldImage[]; stale: ImageEntry[] }> {
  const held: HeldImage[] = [];
  const staleLocks: ImageEntry[] = [];
  await Promise.all(
    images.map(async (image) => {
      let all: ImageHolder[];
      try {
        all = await ceph.holders(image, deadline);
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
      const { live, stale } = sortHolders(all, blocklisted);
      if (live.length > 0) held.push({ image, holders: live });
      staleLocks.push(...stale.map((holder) => ({ image, holder })));
    }),
  );
  return { held: held.sort((a, b) => images.indexOf(a.image) - images.indexOf(b.image)), stale: staleLocks };
}

/**
 * Splits holders into live ones and stale locks. librbd's exclusive lock (id `auto <cookie>`)
 * outlives a QEMU that was killed (a fenced node) until another client takes the lock; its owner is
 * alive only while it also watches the image, which is how librbd itself decides to break it. A lock
 * of a client this guard blocklisted is stale once that client no longer watches.
 * Watchers, and advisory locks (`rbd lock add`) of anyone else, always count.
 */
export function sortHolders(
  holders: readonly ImageHolder[],
  blocklisted: ReadonlySet<string> = new Set(),
): { live: ImageHolder[]; stale: ImageHolder[] } {
  const watchers = holders.filter((h) => h.kind === 'watcher');
  const isStale = (h: ImageHolder): boolean =>
    h.kind === 'lock' &&
    ((h.lockId ?? '').startsWith('auto ') || blocklisted.has(h.address)) &&
    !watchers.some((w) => w.client === h.client || w.address === h.address);
  return { live: holders.filter((h) => !isStale(h)), stale: holders.filter(isStale) };
}

/** A lock the client at `address` holds on one of the images, if any. */
function lockOf(address: string, entries: readonly ImageEntry[]): HeldLock | undefined {
  for (const { image, holder: h } of entries)
    if (h.kind === 'lock' && h.address === address && h.lockId !== undefined) return { image, lockId: h.lockId, client: h.client, address };
  return undefined;
}

function entriesOf(held: readonly HeldImage[]): ImageEntry[] {
  return held.flatMap(({ image, holders }) => holders.map((holder) => ({ image, holder })));
}

/** Blocklists the client `h` (`whose`: what it is, for the refusal); a blocklist that fails is a refusal. */
async function blocklistOrRefuse(
  vmName: string,
  h: ImageHolder,
  whose: string,
  ceph: HolderSource,
  deadline: Deadline,
  lock: HeldLock | undefined,
): Promise<void> {
  try {
    await ceph.blocklist(h.address, deadline, lock);
  } catch (e) {
    const denied = e instanceof ExecFailed && (e.exitCode === 13 || /EACCES|access denied|permission denied/i.test(e.stderr));
    const detail = e instanceof ExecFailed ? e.message : messageOf(e);
    throw new OcfError(
      denied ? Ocf.ERR_PERM : Ocf.ERR_GENERIC,
      // The first 128 characters (all Pacemaker keeps) name the user, the client and the remedy.
      (denied
        ? `refusing to start ${vmName}: ${ceph.user} may not blocklist ${h.address} ${whose}: give it mon caps profile rbd`
        : `refusing to start ${vmName}: cannot blocklist ${h.address} ${whose}: ${detail}`) +
        `. Without the blocklist a copy that is not dead (cut off, wrongly fenced) could still write; ${formatHolder(h)} holds the image`,
      { cause: e },
    );
  }
}

function refusalOf(
  vmName: string,
  held: readonly HeldImage[],
  verdicts: ReadonlyMap<string, HolderVerdict>,
  blocklisted: ReadonlySet<string>,
): OcfError {
  const holders = uniqueByAddress(held.flatMap((h) => h.holders));
  const who = holders.map((h) => describeHolder(h, verdicts.get(h.address))).join(', ');
  const todo = [...new Set(holders.map((h) => remedyFor(h, verdicts.get(h.address), blocklisted)))].join('; ');
  const why = [...new Set(holders.map((h) => verdicts.get(h.address)).flatMap((v) => (v?.kind === 'unproven' ? [v.why] : [])))].join('; ');
  const what = held.map((h) => `${h.image} is held by ${h.holders.map(formatHolder).join(', ')}`).join('; ');
  return new OcfError(
    Ocf.ERR_GENERIC,
    // Pacemaker keeps the first 128 characters of an exit reason: holder and remedy come first.
    `refusing to start ${vmName}: held by ${who}: ${todo}. ${what}${why ? `; ${why}` : ''}. ${vmName} may be running on another host; ` +
      'set check_image_in_use=false only if nothing else can hold it',
    { cause: new Error(what) },
  );
}

function describeHolder(h: ImageHolder, verdict: HolderVerdict | undefined): string {
  return verdict?.node !== undefined ? `${verdict.node} (${h.client} at ${h.address})` : `${h.client} at ${h.address}`;
}

function remedyFor(h: ImageHolder, verdict: HolderVerdict | undefined, blocklisted: ReadonlySet<string>): string {
  if (blocklisted.has(h.address)) return `find out why the blocklisted client ${h.address} still watches the image`;
  if (verdict?.kind === 'unproven') return verdict.todo;
  return `wait for ${h.address} to go away`;
}

function uniqueByAddress(holders: readonly ImageHolder[]): ImageHolder[] {
  return [...new Map(holders.map((h) => [h.address, h])).values()];
}

function nodeOf(verdict: HolderVerdict | undefined): string {
  return verdict?.node ?? 'its node';
}

function fencedAt(verdict: HolderVerdict | undefined): string {
  return verdict?.kind === 'fenced' ? new Date(verdict.fencedAtMs).toISOString() : '?';
}
