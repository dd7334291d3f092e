// SPDX-License-Identifier: Apache-2.0
import { ExecFailed } from '../../lib/exec/index.js';
import type { Deadline } from '../../lib/time/index.js';
import { isRecord, parseJsonOutput } from '../../lib/unknown/index.js';
import { cephClientOptions, type CephClient, type HeaderObject } from './rbd.js';
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
  /** Removes `locker`'s lock, ours or a dead start's. */
  release(header: HeaderObject, locker: StartLocker, deadline: Deadline): Promise<void>;
}

/**
 * The advisory-lock commands of `rados` on a header object. Every `rados` run is a new Ceph client,
 * and `lock unlock` works only for the client that locked: giving a lock back is `lock break` of the
 * locker that `lock info` names with our cookie. `lock get` creates a missing object: the header
 * comes from `rbd info` just before, so only an image removed in between leaves an empty one.
 */
export class RadosLocks implements StartLockStore {
  constructor(
    private readonly client: CephClient,
    private readonly exec: Exec,
  ) {}

  async take(header: HeaderObject, cookie: string, durationS: number, description: string, deadline: Deadline): Promise<'taken' | 'busy'> {
    const flags = [`--lock-cookie=${cookie}`, `--lock-duration=${durationS}`, `--lock-description=${description}`];
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
    await this.exec(this.argv(['lock', 'break'], header, [`--lock-cookie=${locker.cookie}`], locker.name), { deadline });
  }

  // As for rbd: the subcommand first, for ExecFailed's message. Every option is one `--name=value`
  // word (Ceph reads such a word as an option wherever it stands before `--`), names after `--`.
  private argv(subcommand: readonly string[], header: HeaderObject, flags: readonly string[], ...more: string[]): [string, ...string[]] {
    return [
      'rados',
      ...subcommand,
      ...flags,
      ...whereOf(header),
      ...cephClientOptions(this.client),
      '--',
      header.object,
      startLockName,
      ...more,
    ];
  }
}

/** The lockers in `rados lock info` JSON: `{"name":…,"lockers":[{"name":"client.4120","cookie":…,…}]}`. */
export function parseStartLockers(json: string): StartLocker[] {
  const doc = parseJsonOutput(json, 'rados lock info');
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

/** The command an admin runs to remove `holder`'s lock, quoted to paste into a shell. */
export function breakCommand(header: HeaderObject, holder: StartLocker): string {
  const words = ['rados', ...whereOf(header), 'lock', 'break', header.object, startLockName, holder.name, `--lock-cookie=${holder.cookie}`];
  return words.map((w) => (/^[\w.,:/=@+-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`)).join(' ');
}

function whereOf(header: HeaderObject): string[] {
  return [`--pool=${header.pool}`, ...(header.namespace !== undefined ? [`--namespace=${header.namespace}`] : [])];
}
