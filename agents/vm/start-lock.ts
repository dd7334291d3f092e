// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { ExecFailed } from '../../lib/exec/index.js';
import type { Logger } from '../../lib/log/index.js';
import { Ocf, OcfError } from '../../lib/ocf/index.js';
import { sleep, type Deadline } from '../../lib/time/index.js';
import { isRecord, messageOf } from '../../lib/unknown/index.js';
import { cephClientOptions, parseJson, type CephClient, type HeaderObject } from './rbd.js';
import type { Exec } from './virsh.js';

/** The lock's name on the header object. librbd's own lock there is `rbd_lock`: QEMU never meets this one. */
export const startLockName = 'seapath-start';

/** A holder of the start lock, as `rados lock info` names it. */
export interface StartLocker {
  readonly name: string;
  readonly cookie: string;
  readonly description: string;
  readonly expiration: string;
  readonly address: string;
}

/** Where start locks live: `RadosLocks` in production, an in-memory store in unit tests. */
export interface StartLockStore {
  /** Takes the start lock for `durationS`; 'busy' while another holder has it. */
  take(header: HeaderObject, cookie: string, durationS: number, description: string, deadline: Deadline): Promise<'taken' | 'busy'>;
  holders(header: HeaderObject, deadline: Deadline): Promise<StartLocker[]>;
  release(header: HeaderObject, locker: StartLocker, deadline: Deadline): Promise<void>;
}

/** The advisory-lock commands of `rados` on one header object. */
export class RadosLocks implements StartLockStore {
  constructor(
    private readonly client: CephClient,
    private readonly exec: Exec,
  ) {}

  async take(header: HeaderObject, cookie: string, durationS: number, description: string, deadline: Deadline): Promise<'taken' | 'busy'> {
    const flags = ['--lock-cookie', cookie, '--lock-duration', String(durationS), '--lock-description', description];
    const argv = this.argv(['lock', 'get'], header, flags);
    const r = await this.exec(argv, { deadline, okExitCodes: [1] });
    if (r.exitCode === 0) return 'taken';
    if (/\(16\) Device or resource busy/.test(r.stderr)) return 'busy';
    throw new ExecFailed(argv, r.exitCode, r.stderr, false);
  }

  async holders(header: HeaderObject, deadline: Deadline): Promise<StartLocker[]> {
    const r = await this.exec(this.argv(['lock', 'info'], header, []), { deadline });
    return parseStartLockers(r.stdout);
  }

  async release(header: HeaderObject, locker: StartLocker, deadline: Deadline): Promise<void> {
    await this.exec(this.argv(['lock', 'break'], header, ['--lock-cookie', locker.cookie], locker.name), { deadline });
  }

  // As for rbd: the subcommand first, for ExecFailed's message; names after `--`.
  private argv(subcommand: readonly string[], header: HeaderObject, flags: readonly string[], ...more: string[]): [string, ...string[]] {
    const where = [`--pool=${header.pool}`, ...(header.namespace !== undefined ? [`--namespace=${header.namespace}`] : [])];
    return ['rados', ...subcommand, ...flags, ...where, ...cephClientOptions(this.client), '--', header.object, startLockName, ...more];
  }
}

/** The lockers in `rados lock info` JSON: `{"name":…,"lockers":[{"name":"client.4120","cookie":…,…}]}`. */
export function parseStartLockers(json: string): StartLocker[] {
  const doc = parseJson(json, 'rados lock info');
  const lockers = isRecord(doc) && Array.isArray(doc.lockers) ? (doc.lockers as unknown[]) : [];
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return lockers.filter(isRecord).map((l) => ({
    name: text(l.name),
    cookie: text(l.cookie),
    description: text(l.description),
    expiration: text(l.expiration),
    address: text(l.addr),
  }));
}

export interface StartLockOptions {
  readonly headerOf: (image: string, deadline: Deadline) => Promise<HeaderObject>;
  readonly locks: StartLockStore;
  /** The node this start runs on, named in the lock for whoever meets it. */
  readonly node: string;
  /** How long to wait for another start to end. */
  readonly waitDeadline: Deadline;
  /** The action's own deadline: the lock expires a little after it, should this process be killed. */
  readonly actionDeadline: Deadline;
  readonly log: Logger;
  readonly everyMs?: number;
}

export interface HeldStartLocks {
  /** Gives the locks back; a failure is a warning (each expires on its own), never the action's. */
  release(deadline: Deadline): Promise<void>;
}

interface Taken {
  readonly image: string;
  readonly header: HeaderObject;
}

/**
 * Takes the start lock of every image the guard checks, waiting while another node's start holds
 * one. The guard's look and the VM's start then run under it, and it is given back once QEMU has
 * the images open: from then on its watch is what any other start meets. Without it two starts at
 * the same moment (a split brain with STONITH off, a start by hand) both find the images free and
 * both run the VM. A RADOS advisory lock on the image's header object, taken for the action's
 * budget: Ceph lets it expire should this process be killed holding it.
 */
export async function takeStartLocks(vmName: string, images: readonly string[], options: StartLockOptions): Promise<HeldStartLocks> {
  const { locks, log, waitDeadline } = options;
  const cookie = randomBytes(8).toString('hex');
  const description = `${vmName} starting on ${options.node}`;
  // The same order on every node, so that two starts never each hold one image the other waits for.
  const sorted = [...images].sort();
  const headers = await Promise.all(
    sorted.map((image) =>
      options.headerOf(image, waitDeadline.within(10_000)).catch((e: unknown) => {
        throw lockFailure(vmName, image, 'cannot find its header object', e);
      }),
    ),
  );
  const taken: Taken[] = [];
  const held: HeldStartLocks = {
    release: (deadline) => releaseAll(taken, cookie, locks, log, deadline),
  };
  try {
    for (const [i, image] of sorted.entries()) {
      const header = headers[i] as HeaderObject;
      await takeOne(vmName, image, header, cookie, description, options);
      taken.push({ image, header });
    }
  } catch (e) {
    await held.release(waitDeadline.within(5000));
    throw e;
  }
  return held;
}

async function takeOne(
  vmName: string,
  image: string,
  header: HeaderObject,
  cookie: string,
  description: string,
  options: StartLockOptions,
): Promise<void> {
  const { locks, log, waitDeadline } = options;
  const everyMs = options.everyMs ?? 500;
  let reported = '';
  for (;;) {
    const durationS = Math.ceil(options.actionDeadline.remainingMs() / 1000) + 5;
    const answer = await locks.take(header, cookie, durationS, description, waitDeadline.within(10_000)).catch((e: unknown) => {
      throw lockFailure(vmName, image, 'cannot take its start lock', e);
    });
    if (answer === 'taken') return;
    // Who holds it is for the messages only: one given back in between, or unreadable, is waited on all the same.
    const holder: StartLocker | undefined = (await locks.holders(header, waitDeadline.within(10_000)).catch(() => []))[0];
    const who = holder !== undefined ? holderOf(holder) : 'another client';
    const lock =
      holder !== undefined
        ? `start lock on ${image} held by ${holder.name} at ${holder.address} until ${holder.expiration}`
        : `start lock on ${image}`;
    if (waitDeadline.remainingMs() < everyMs + 500)
      throw new OcfError(
        Ocf.ERR_GENERIC,
        // Pacemaker keeps the first 128 characters of an exit reason: who and what first.
        `refusing to start ${vmName}: ${who} is starting it (${lock}). Two starts of one VM at once: ` +
          'are the nodes in one cluster? If that start is dead, its lock expires by then' +
          (holder !== undefined ? `; or break it: ${breakCommand(header, holder)}` : ''),
      );
    if (lock !== reported)
      log.info(`${who} is starting ${vmName} (${lock}): waiting up to ${Math.round(waitDeadline.remainingMs() / 1000)} s for it to end`);
    reported = lock;
    await sleep(everyMs, waitDeadline);
  }
}

async function releaseAll(taken: readonly Taken[], cookie: string, locks: StartLockStore, log: Logger, deadline: Deadline): Promise<void> {
  await Promise.all(
    taken.map(async ({ image, header }) => {
      try {
        const ours = (await locks.holders(header, deadline)).find((l) => l.cookie === cookie);
        if (ours !== undefined) await locks.release(header, ours, deadline);
      } catch (e) {
        log.warn(`cannot give back the start lock on ${image} (another start of this VM waits until it expires): ${messageOf(e)}`);
      }
    }),
  );
}

function breakCommand(header: HeaderObject, holder: StartLocker): string {
  const where = `--pool=${header.pool}${header.namespace !== undefined ? ` --namespace=${header.namespace}` : ''}`;
  return `rados ${where} lock break ${header.object} ${startLockName} ${holder.name} --lock-cookie ${holder.cookie}`;
}

function holderOf(locker: StartLocker): string {
  return /^.+ starting on (\S+)$/.exec(locker.description)?.[1] ?? `${locker.name} at ${locker.address}`;
}

function lockFailure(vmName: string, image: string, what: string, e: unknown): OcfError {
  const denied = e instanceof ExecFailed && /\((1|13)\) (Operation not permitted|Permission denied)/.test(e.stderr);
  const detail = e instanceof ExecFailed && e.timedOut ? 'Ceph did not answer in time' : messageOf(e);
  return new OcfError(
    denied ? Ocf.ERR_PERM : Ocf.ERR_GENERIC,
    `refusing to start ${vmName}: ${image}: ${what}${denied ? ': the Ceph user needs osd caps profile rbd' : ''}: ${detail}`,
    { cause: e },
  );
}
