// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { ExecFailed } from '../../../../lib/exec/exec-failed.js';
import type { Logger } from '../../../../lib/log/index.js';
import { Ocf } from '../../../../lib/ocf/exit-codes.js';
import { OcfError } from '../../../../lib/ocf/ocf-error.js';
import { Deadline } from '../../../../lib/time/index.js';
import type { HeaderObject } from '../../../../agents/vm/rbd.js';
import {
  parseStartLockers,
  takeStartLocks,
  type StartLocker,
  type StartLockOptions,
  type StartLockStore,
} from '../../../../agents/vm/start-lock.js';

describe('parseStartLockers', () => {
  it('reads the lockers of `rados lock info` (Pacific)', () => {
    const json =
      '{"name":"seapath-start","type":"exclusive","tag":"","lockers":[{"name":"client.4120","cookie":"c0ffee",' +
      '"description":"vm1 starting on node2","expiration":"2026-12-01T13:24:42.472734+0000","addr":"192.0.2.12:0/3370824826"}]}';
    expect(parseStartLockers(json)).toEqual([
      {
        name: 'client.4120',
        cookie: 'c0ffee',
        description: 'vm1 starting on node2',
        expiration: '2026-12-01T13:24:42.472734+0000',
        address: '192.0.2.12:0/3370824826',
      },
    ]);
  });

  it.each(['{"name":"seapath-start","lockers":[]}', '{}', ''])('finds no locker in %j', (json) => {
    expect(parseStartLockers(json)).toEqual([]);
  });
});

/** One exclusive lock per header object, as cls_lock keeps it; `release` takes any locker's name and cookie. */
class InMemoryLocks implements StartLockStore {
  readonly held = new Map<string, StartLocker>();
  readonly taken: string[] = [];
  private next = 4100;
  constructor(private readonly failOn?: { object: string; error: ExecFailed }) {}

  take(header: HeaderObject, cookie: string, _durationS: number, description: string): Promise<'taken' | 'busy'> {
    if (this.failOn?.object === header.object) return Promise.reject(this.failOn.error);
    if (this.held.has(header.object)) return Promise.resolve('busy');
    const locker = { name: `client.${this.next++}`, cookie, description, expiration: 'soon', address: '192.0.2.11:0/1' };
    this.held.set(header.object, locker);
    this.taken.push(header.object);
    return Promise.resolve('taken');
  }

  holders(header: HeaderObject): Promise<StartLocker[]> {
    const l = this.held.get(header.object);
    return Promise.resolve(l ? [l] : []);
  }

  release(header: HeaderObject, locker: StartLocker): Promise<void> {
    const l = this.held.get(header.object);
    if (l?.name === locker.name && l.cookie === locker.cookie) this.held.delete(header.object);
    return Promise.resolve();
  }
}

function logger(lines: string[]): Logger {
  const add = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return { debug: add('DEBUG'), info: add('INFO'), warn: add('WARNING'), err: add('ERROR') };
}

const headerOf = (image: string): Promise<HeaderObject> =>
  Promise.resolve({ pool: image.split('/')[0] ?? '', namespace: undefined, object: `rbd_header.${image.split('/').at(-1) ?? ''}` });

function options(locks: StartLockStore, lines: string[], waitMs: number): StartLockOptions {
  return {
    headerOf,
    locks,
    node: 'node1',
    waitDeadline: Deadline.after(waitMs),
    actionDeadline: Deadline.after(60_000),
    log: logger(lines),
    everyMs: 20,
  };
}

const otherStart: StartLocker = {
  name: 'client.4000',
  cookie: 'theirs',
  description: 'vm1 starting on node2',
  expiration: '2026-12-01T13:30:00Z',
  address: '192.0.2.12:0/9',
};

describe('takeStartLocks', () => {
  it('takes every image in one order whatever the XML lists, naming this node, and gives back only its own', async () => {
    const locks = new InMemoryLocks();
    const held = await takeStartLocks('vm1', ['rbd/system_vm1', 'rbd/data_vm1_0'], options(locks, [], 1000));
    expect(locks.taken).toEqual(['rbd_header.data_vm1_0', 'rbd_header.system_vm1']);
    expect(locks.held.get('rbd_header.system_vm1')?.description).toBe('vm1 starting on node1');
    await held.release(Deadline.after(1000));
    expect(locks.held.size).toBe(0);
  });

  it('waits while another start holds an image, and goes on once it is given back', async () => {
    const locks = new InMemoryLocks();
    locks.held.set('rbd_header.system_vm1', otherStart);
    const lines: string[] = [];
    setTimeout(() => locks.held.delete('rbd_header.system_vm1'), 100);
    await takeStartLocks('vm1', ['rbd/system_vm1'], options(locks, lines, 5000));
    expect(locks.held.get('rbd_header.system_vm1')?.description).toBe('vm1 starting on node1');
    expect(lines.join('\n')).toContain('INFO: node2 is starting vm1 (start lock on rbd/system_vm1 held by client.4000');
  });

  it('refuses naming the other node and how to break the lock when it stays; gives back what it took', async () => {
    const locks = new InMemoryLocks();
    locks.held.set('rbd_header.system_vm1', otherStart);
    const error = await takeStartLocks('vm1', ['rbd/system_vm1', 'rbd/data_vm1_0'], options(locks, [], 600)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OcfError);
    expect((error as OcfError).code).toBe(Ocf.ERR_GENERIC);
    expect((error as OcfError).message).toMatch(
      /^refusing to start vm1: node2 is starting it \(start lock on rbd\/system_vm1 held by client\.4000 at 192\.0\.2\.12:0\/9 until /,
    );
    expect((error as OcfError).message).toContain(
      'rados --pool=rbd lock break rbd_header.system_vm1 seapath-start client.4000 --lock-cookie theirs',
    );
    expect([...locks.held.keys()]).toEqual(['rbd_header.system_vm1']);
  });

  it('waits on a lock whose holder cannot be read, without a busy loop, then refuses', async () => {
    const locks = new InMemoryLocks();
    locks.held.set('rbd_header.system_vm1', otherStart);
    let takes = 0;
    const take = locks.take.bind(locks);
    locks.take = (...args) => {
      takes++;
      return take(...args);
    };
    locks.holders = () => Promise.reject(new Error('rados lock info exited 1'));
    // 0.9 s of waiting, a try every 0.1 s: about nine tries; a loop without its sleep makes hundreds
    const error = await takeStartLocks('vm1', ['rbd/system_vm1'], { ...options(locks, [], 1500), everyMs: 100 }).catch((e: unknown) => e);
    expect((error as OcfError).message).toMatch(
      /^refusing to start vm1: another client is starting it \(start lock on rbd\/system_vm1\)\./,
    );
    expect(takes).toBeGreaterThan(1);
    expect(takes).toBeLessThanOrEqual(12);
  });

  it('a Ceph user that may not lock: 4 (ERR_PERM), naming the caps it needs', async () => {
    const denied = new ExecFailed(['rados', 'lock', 'get'], 1, 'ERROR: failed locking: (1) Operation not permitted', false);
    const locks = new InMemoryLocks({ object: 'rbd_header.system_vm1', error: denied });
    const error = await takeStartLocks('vm1', ['rbd/system_vm1'], options(locks, [], 1000)).catch((e: unknown) => e);
    expect((error as OcfError).code).toBe(Ocf.ERR_PERM);
    expect((error as OcfError).message).toMatch(
      /^refusing to start vm1: rbd\/system_vm1: cannot take its start lock: the Ceph user needs osd caps profile rbd/,
    );
  });

  it('an image whose header cannot be found: 1 naming the image, nothing taken', async () => {
    const locks = new InMemoryLocks();
    const opts = {
      ...options(locks, [], 1000),
      headerOf: () => Promise.reject(new Error('rbd info exited 2: (2) No such file or directory')),
    };
    const error = await takeStartLocks('vm1', ['rbd/system_vm1'], opts).catch((e: unknown) => e);
    expect((error as OcfError).code).toBe(Ocf.ERR_GENERIC);
    expect((error as OcfError).message).toContain(
      'refusing to start vm1: rbd/system_vm1: cannot find its header object: rbd info exited 2',
    );
    expect(locks.taken).toEqual([]);
  });
});
