// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import type { ClusterView } from '../../lib/cluster/index.js';
import { ExecFailed } from '../../lib/exec/index.js';
import type { Logger } from '../../lib/log/index.js';
import { Ocf, OcfError } from '../../lib/ocf/index.js';
import { stepDeadline, waitUntil, WaitTimedOut, type Deadline } from '../../lib/time/index.js';
import { messageOf } from '../../lib/unknown/index.js';
import { judgeHolder } from './holder-evidence.js';
import { breakCommand, type StartLocker, type StartLockStore } from './rados-locks.js';
import type { HeaderObject } from './rbd.js';

export interface StartLockOptions {
  readonly headerOf: (image: string, deadline: Deadline) => Promise<HeaderObject>;
  readonly locks: StartLockStore;
  /** The node this start runs on, named in the lock for whoever meets it. */
  readonly node: string;
  /** The Ceph user the commands run as, for exit reasons (`client.admin`). */
  readonly user: string;
  /** How long to wait for another start to end; the guard's look needs the last seconds of it. */
  readonly waitDeadline: Deadline;
  /** The action's own deadline: the lock expires a little after it, should this process be killed. */
  readonly actionDeadline: Deadline;
  /** The cluster, read at most once per action; undefined where it cannot be read. */
  readonly readCluster: () => Promise<ClusterView | undefined>;
  readonly log: Logger;
  readonly everyMs?: number;
}

export interface HeldStartLocks {
  /**
   * Gives the locks back once the start is over, unless it failed by timing out (`failure`): libvirt
   * may then still be starting QEMU, which opens the images later, so the locks stay until they
   * expire. A failure to give one back is a warning, never the action's.
   */
  release(deadline: Deadline, failure?: unknown): Promise<void>;
}

interface Target {
  readonly image: string;
  readonly header: HeaderObject;
}

// What the guard's look after the locks needs at least: rbd status and rbd lock ls, a cluster read.
const lookReserveMs = 3000;

/**
 * Takes the start lock of every image the guard checks, waiting while another node's start holds
 * one. The guard's look and the VM's start then run under it, and it is given back once QEMU has
 * the images open: from then on its watch is what any other start meets. Without it two starts at
 * the same moment (a split brain with STONITH off, a start by hand) both find the images free and
 * both run the VM. A RADOS advisory lock on the image's header object, taken for the action's
 * budget: Ceph lets it expire should this process be killed holding it. The lock of a start whose
 * node was fenced since (judgeHolder) is broken.
 */
export async function takeStartLocks(vmName: string, images: readonly string[], options: StartLockOptions): Promise<HeldStartLocks> {
  const { locks, log } = options;
  const cookie = randomBytes(8).toString('hex');
  // The same order on every node, so that two starts never each hold one image the other waits for.
  const targets: Target[] = await Promise.all(
    [...images].sort().map(async (image) => {
      try {
        return { image, header: await options.headerOf(image, options.waitDeadline.within(10_000)) };
      } catch (e) {
        throw lockFailure(vmName, image, 'cannot find its header object', options.user, e);
      }
    }),
  );
  // Before each take: a `lock get` that timed out may have taken the lock all the same.
  const tried: Target[] = [];
  const held: HeldStartLocks = {
    release: async (deadline, failure) => {
      if (failure instanceof ExecFailed && failure.timedOut) {
        log.warn(`keeping the start lock of ${vmName} until it expires: libvirt may still be starting it`);
        return;
      }
      await releaseAll(tried, cookie, locks, log, deadline);
    },
  };
  try {
    for (const target of targets) {
      tried.push(target);
      await takeOne(vmName, target, cookie, options);
    }
  } catch (e) {
    await releaseAll(tried, cookie, locks, log, stepDeadline(options.actionDeadline, 5000));
    throw e;
  }
  return held;
}

async function takeOne(vmName: string, { image, header }: Target, cookie: string, options: StartLockOptions): Promise<void> {
  const { locks, log, waitDeadline } = options;
  const lockDeadline = waitDeadline.leaving(lookReserveMs);
  const description = `${vmName} starting on ${options.node}`;
  const broken = new Set<string>();
  const tryTake = async (): Promise<boolean> => {
    const durationS = Math.ceil(options.actionDeadline.remainingMs() / 1000) + 5;
    try {
      return (await locks.take(header, cookie, durationS, description, waitDeadline.within(10_000))) === 'taken';
    } catch (e) {
      throw lockFailure(vmName, image, 'cannot take its start lock', options.user, e);
    }
  };
  let holder: StartLocker | undefined;
  let reported = '';
  try {
    await waitUntil(
      `the start lock on ${image}`,
      async () => {
        if (await tryTake()) return true;
        // Who holds it is for the messages only: one given back in between, or unreadable, is waited on all the same.
        holder = (await locks.holders(header, waitDeadline.within(10_000)).catch(() => []))[0];
        if (holder !== undefined && !broken.has(holder.cookie) && (await breakIfFenced(vmName, image, header, holder, options))) {
          broken.add(holder.cookie);
          return tryTake();
        }
        const lock = describeLock(image, holder);
        if (lock !== reported)
          log.info(
            `${whoHolds(holder)} is starting ${vmName} (${lock}): ` +
              `waiting up to ${Math.round(lockDeadline.remainingMs() / 1000)} s for it to end`,
          );
        reported = lock;
        return false;
      },
      lockDeadline,
      options.everyMs ?? 500,
    );
  } catch (e) {
    if (!(e instanceof WaitTimedOut)) throw e;
    throw new OcfError(
      Ocf.ERR_GENERIC,
      // Pacemaker keeps the first 128 characters of an exit reason: who and what first.
      `refusing to start ${vmName}: ${whoHolds(holder)} is starting it (${describeLock(image, holder)}). Two starts of one VM at once: ` +
        'are the nodes in one cluster? A start that died leaves its lock until its own timeout ends' +
        (holder !== undefined ? `; to remove it by hand: ${breakCommand(header, holder)}` : ''),
    );
  }
}

function describeLock(image: string, holder: StartLocker | undefined): string {
  return holder !== undefined
    ? `start lock on ${image} held by ${holder.name} at ${holder.address} until ${holder.expiration}`
    : `start lock on ${image}`;
}

/** Breaks the lock of a start whose node was fenced after it was last active: that start is dead. */
async function breakIfFenced(
  vmName: string,
  image: string,
  header: HeaderObject,
  holder: StartLocker,
  options: StartLockOptions,
): Promise<boolean> {
  const verdict = judgeHolder(
    vmName,
    { kind: 'lock', client: holder.name, address: holder.address, lockId: holder.cookie },
    await options.readCluster(),
  );
  if (verdict.kind !== 'fenced') return false;
  try {
    await options.locks.release(header, holder, options.waitDeadline.within(10_000));
  } catch (e) {
    options.log.warn(`cannot break the start lock on ${image} of ${verdict.node}, fenced: ${messageOf(e)}`);
    return false;
  }
  options.log.info(`broke the start lock on ${image} of ${verdict.node}, fenced at ${new Date(verdict.fencedAtMs).toISOString()}`);
  return true;
}

async function releaseAll(
  targets: readonly Target[],
  cookie: string,
  locks: StartLockStore,
  log: Logger,
  deadline: Deadline,
): Promise<void> {
  await Promise.all(
    targets.map(async ({ image, header }) => {
      try {
        const ours = (await locks.holders(header, deadline)).find((l) => l.cookie === cookie);
        if (ours !== undefined) await locks.release(header, ours, deadline);
      } catch (e) {
        log.warn(`cannot give back the start lock on ${image} (another start of this VM waits until it expires): ${messageOf(e)}`);
      }
    }),
  );
}

function whoHolds(locker: StartLocker | undefined): string {
  if (locker === undefined) return 'another client';
  return /^.+ starting on (\S+)$/.exec(locker.description)?.[1] ?? `${locker.name} at ${locker.address}`;
}

function lockFailure(vmName: string, image: string, what: string, user: string, e: unknown): OcfError {
  const denied = e instanceof ExecFailed && /\((1|13)\) (Operation not permitted|Permission denied)/.test(e.stderr);
  const detail = e instanceof ExecFailed && e.timedOut ? 'Ceph did not answer in time' : messageOf(e);
  return new OcfError(
    denied ? Ocf.ERR_PERM : Ocf.ERR_GENERIC,
    `refusing to start ${vmName}: ${image}: ${what}${denied ? `: ${user} needs osd caps profile rbd` : ''}: ${detail}`,
    { cause: e },
  );
}
