// SPDX-License-Identifier: Apache-2.0
import { ExecFailed } from '../../lib/exec/index.js';
import type { Deadline } from '../../lib/time/index.js';
import type { Exec } from './virsh.js';
import { isRecord, parseJsonOutput } from '../../lib/unknown/index.js';

// How long a client the guard blocklists stays off the OSDs. Ceph's default (an hour) would let a copy
// cut off longer than that write again once its link is back: its pending writes are resent then.
// An entry names one client instance (address and nonce), so a long one costs nothing to new clients.
export const blocklistSeconds = 7 * 24 * 3600;

/** Who rbd commands run as; from the ceph_* parameters. */
export interface CephClient {
  readonly id?: string | undefined;
  readonly conf?: string | undefined;
  readonly keyring?: string | undefined;
}

/** A client that has an image open (watcher) or holds one of its locks. */
export interface ImageHolder {
  readonly kind: 'watcher' | 'lock';
  readonly client: string;
  readonly address: string;
  /** The lock id (`auto <cookie>` for librbd's exclusive lock); absent for watchers. */
  readonly lockId?: string;
}

/** A lock of one image, as `rbd lock ls` names it: what `rbd lock rm` takes. */
export interface HeldLock {
  readonly image: string;
  readonly lockId: string;
  readonly client: string;
  readonly address: string;
}

/** Exit codes 1-255: a failed `rbd lock rm` is an answer (blocklist another way), not an error. */
const allNonZero = Array.from({ length: 255 }, (_, i) => i + 1);

/** The RADOS object that holds an image's header, where librbd keeps its lock and watch. */
export interface HeaderObject {
  readonly pool: string;
  readonly namespace: string | undefined;
  readonly object: string;
}

/** The result of reading one image-meta key. */
export type ImageMeta =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'no-pool' }
  | { readonly kind: 'no-image' }
  | { readonly kind: 'no-key' };

const noEntry = /\(2\) No such file or directory/;

/** The rbd commands the agent runs: the XML in image metadata, and who holds an image. */
export class Rbd {
  constructor(
    private readonly client: CephClient,
    private readonly exec: Exec,
  ) {}

  /** The Ceph user rbd and ceph run as, for exit reasons. */
  get user(): string {
    return `client.${this.client.id ?? 'admin'}`;
  }

  async imageMeta(image: string, key: string, deadline: Deadline): Promise<ImageMeta> {
    const argv = this.argv(['image-meta', 'get'], [], image, key);
    const r = await this.exec(argv, { deadline, okExitCodes: [1, 2] });
    if (r.exitCode === 0) return { kind: 'value', value: r.stdout.replace(/\n$/, '') };
    if (/error opening pool/.test(r.stderr) && noEntry.test(r.stderr)) return { kind: 'no-pool' };
    if (/error opening image/.test(r.stderr) && noEntry.test(r.stderr)) return { kind: 'no-image' };
    if (/failed to get metadata/.test(r.stderr) && noEntry.test(r.stderr)) return { kind: 'no-key' };
    throw new ExecFailed(argv, r.exitCode, r.stderr, false);
  }

  /** Sets an image metadata key; rbd takes the value in argv only, so it must hold no secret. */
  async setImageMeta(image: string, key: string, value: string, deadline: Deadline): Promise<void> {
    await this.exec(this.argv(['image-meta', 'set'], [], image, key, value), { deadline });
  }

  /** The header object of `pool/image` or `pool/namespace/image`: `rbd_header.<id>` (`<image>.rbd` for format 1). */
  async headerObject(image: string, deadline: Deadline): Promise<HeaderObject> {
    const parts = image.split('/');
    const name = parts.at(-1) ?? image;
    const r = await this.exec(this.argv(['info'], ['--format', 'json'], image), { deadline });
    const info = parseJsonOutput(r.stdout, 'rbd info');
    const id = isRecord(info) && typeof info.id === 'string' && info.id !== '' ? info.id : undefined;
    const format = isRecord(info) ? info.format : undefined;
    if (id === undefined && format !== 1) throw new Error(`rbd info of ${image} names no image id: ${r.stdout.slice(0, 120)}`);
    return {
      pool: parts[0] ?? image,
      namespace: parts.length === 3 ? parts[1] : undefined,
      object: id !== undefined ? `rbd_header.${id}` : `${name}.rbd`,
    };
  }

  /** Watchers and lockers of an image, read in parallel. */
  async holders(image: string, deadline: Deadline): Promise<ImageHolder[]> {
    const [status, locks] = await Promise.all([
      this.exec(this.argv(['status'], ['--format', 'json'], image), { deadline }),
      this.exec(this.argv(['lock', 'ls'], ['--format', 'json'], image), { deadline }),
    ]);
    return [...parseRbdWatchers(status.stdout), ...parseRbdLocks(locks.stdout)];
  }

  /**
   * Fences a client off the OSDs, so a QEMU believed dead cannot write, for a week (blocklistSeconds). A client holding `lock` is
   * blocklisted by breaking that lock: `rbd lock rm` blocklists the locker's address before it removes
   * the lock, and fails without removing it if the blocklist fails (rbd_blocklist_on_break_lock, forced
   * on here, whatever ceph.conf says). It is one C++ process, where `ceph osd blocklist add` is Python
   * and takes three times as long; that one stays for a client that only watches, and for a lock
   * gone in between (rbd lock rm then fails before blocklisting anything).
   */
  async blocklist(address: string, deadline: Deadline, lock?: HeldLock): Promise<void> {
    if (lock !== undefined && lock.address === address) {
      const breakLock = this.argv(
        ['lock', 'rm'],
        ['--rbd-blocklist-on-break-lock=true', `--rbd-blocklist-expire-seconds=${blocklistSeconds}`],
        lock.image,
        lock.lockId,
        lock.client,
      );
      const r = await this.exec(breakLock, { deadline, okExitCodes: allNonZero });
      if (r.exitCode === 0) return;
    }
    await this.exec(['ceph', 'osd', 'blocklist', 'add', address, String(blocklistSeconds), ...this.clientOptions()], { deadline });
  }

  // Client options after the subcommand, so that argv[1] is the subcommand, which ExecFailed names.
  // `--` ends the options: a lock id is any Ceph client's choice, and one beginning with '-' would
  // otherwise be read as an option (rbd: "unrecognised option").
  private argv(subcommand: readonly string[], flags: readonly string[], ...positional: string[]): [string, ...string[]] {
    return ['rbd', ...subcommand, ...flags, ...this.clientOptions(), '--', ...positional];
  }

  private clientOptions(): string[] {
    return cephClientOptions(this.client);
  }
}

/** `--id`, `--conf`, `--keyring` as rbd, rados and ceph all take them. */
export function cephClientOptions(client: CephClient): string[] {
  const options: string[] = [];
  if (client.id) options.push('--id', client.id);
  if (client.conf) options.push('--conf', client.conf);
  if (client.keyring) options.push('--keyring', client.keyring);
  return options;
}

/** Watchers from `rbd status --format json`: `{"watchers":[{"address":…,"client":4125,…}]}`. */
export function parseRbdWatchers(json: string): ImageHolder[] {
  const doc = parseJsonOutput(json, 'rbd status');
  const watchers = isRecord(doc) && Array.isArray(doc.watchers) ? (doc.watchers as unknown[]) : [];
  return watchers.filter(isRecord).map((w) => ({
    kind: 'watcher' as const,
    client:
      typeof w.client === 'number' || typeof w.client === 'string' ? `client.${String(w.client).replace(/^client\./, '')}` : 'client.?',
    address: typeof w.address === 'string' ? w.address : '?',
  }));
}

/**
 * Locks from `rbd lock ls --format json`: a list `[{"id":…,"locker":"client.4159","address":…}]`
 * since Octopus, an object keyed by lock id before.
 */
export function parseRbdLocks(json: string): ImageHolder[] {
  const doc = parseJsonOutput(json, 'rbd lock ls');
  const entries: [string | undefined, unknown][] = Array.isArray(doc)
    ? doc.map((l): [string | undefined, unknown] => [undefined, l])
    : isRecord(doc)
      ? Object.entries(doc)
      : [];
  return entries.flatMap(([key, l]) => {
    if (!isRecord(l)) return [];
    const lockId = typeof l.id === 'string' ? l.id : key;
    return [
      {
        kind: 'lock' as const,
        client: typeof l.locker === 'string' ? l.locker : 'client.?',
        address: typeof l.address === 'string' ? l.address : '?',
        ...(lockId !== undefined ? { lockId } : {}),
      },
    ];
  });
}

/** `client.4125 at 198.51.100.11:0/123 (watcher)`: one holder in an exit reason. */
export function formatHolder(h: ImageHolder): string {
  return `${h.client} at ${h.address} (${h.kind === 'lock' ? `lock '${h.lockId ?? '?'}'` : 'watcher'})`;
}
