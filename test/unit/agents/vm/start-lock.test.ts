// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import type { ClusterNode, ClusterView } from '../../../../lib/cluster/nodes.js';
import { ExecFailed } from '../../../../lib/exec/exec-failed.js';
import type { Logger } from '../../../../lib/log/index.js';
import { Ocf } from '../../../../lib/ocf/exit-codes.js';
import { OcfError } from '../../../../lib/ocf/ocf-error.js';
import { Deadline } from '../../../../lib/time/index.js';
import { breakCommand, parseStartLockers, RadosLocks, type StartLocker, type StartLockStore } from '../../../../agents/vm/rados-locks.js';
import { Rbd, type HeaderObject } from '../../../../agents/vm/rbd.js';
import { takeStartLocks, type StartLockOptions } from '../../../../agents/vm/start-lock.js';
import type { Exec } from '../../../../agents/vm/virsh.js';

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

describe('RadosLocks and Rbd.headerObject: the commands', () => {
  const header: HeaderObject = { pool: 'rbd', namespace: 'tenant', object: 'rbd_header.1013e37e1c61' };
  function recording(stdout = '', exitCode = 0, stderr = ''): { exec: Exec; calls: string[][] } {
    const calls: string[][] = [];
    const exec: Exec = (argv) => {
      calls.push([...argv]);
      return Promise.resolve({ stdout, stderr, exitCode });
    };
    return { exec, calls };
  }

  it('puts every option in one --name=value word before --, and the object and lock name after it', async () => {
    const { exec, calls } = recording();
    const locks = new RadosLocks({ id: 'libvirt' }, exec);
    expect(await locks.take(header, 'c0ffee', 125, '--keyring=/x starting on node1', Deadline.after(1000))).toBe('taken');
    expect(calls[0]).toEqual([
      'rados',
      'lock',
      'get',
      '--lock-cookie=c0ffee',
      '--lock-duration=125',
      '--lock-description=--keyring=/x starting on node1',
      '--pool=rbd',
      '--namespace=tenant',
      '--id',
      'libvirt',
      '--',
      'rbd_header.1013e37e1c61',
      'seapath-start',
    ]);
    const locker: StartLocker = { name: 'client.4120', cookie: 'c0ffee', description: '', expiration: '', address: '' };
    await locks.release(header, locker, Deadline.after(1000));
    expect(calls[1]?.slice(1, 4)).toEqual(['lock', 'break', '--lock-cookie=c0ffee']);
    expect(calls[1]?.slice(-4)).toEqual(['--', 'rbd_header.1013e37e1c61', 'seapath-start', 'client.4120']);
  });

  it("reads EBUSY as 'busy', and throws rados' words for any other failure", async () => {
    const busy = new RadosLocks({}, recording('', 1, 'ERROR: failed locking: (16) Device or resource busy').exec);
    expect(await busy.take(header, 'c', 5, 'd', Deadline.after(1000))).toBe('busy');
    const denied = new RadosLocks({}, recording('', 1, 'ERROR: failed locking: (1) Operation not permitted').exec);
    await expect(denied.take(header, 'c', 5, 'd', Deadline.after(1000))).rejects.toThrow('Operation not permitted');
  });

  it('finds the header object of a format 2 image by its id, of a format 1 image by its name, in its namespace', async () => {
    const v2 = new Rbd({}, recording('{"name":"system_vm1","id":"1013e37e1c61","format":2}').exec);
    expect(await v2.headerObject('rbd/tenant/system_vm1', Deadline.after(1000))).toEqual(header);
    const v1 = new Rbd({}, recording('{"name":"old","block_name_prefix":"rb.0.1014.74b0dc51","format":1}').exec);
    expect(await v1.headerObject('rbd/old', Deadline.after(1000))).toEqual({ pool: 'rbd', namespace: undefined, object: 'old.rbd' });
    const odd = new Rbd({}, recording('{"name":"x","format":2}').exec);
    await expect(odd.headerObject('rbd/x', Deadline.after(1000))).rejects.toThrow('names no image id');
  });

  it('quotes what a shell would split in the command that breaks a lock', () => {
    const locker: StartLocker = { name: 'client.4120', cookie: "a b'c", description: '', expiration: '', address: '' };
    expect(breakCommand(header, locker)).toBe(
      "rados --pool=rbd --namespace=tenant lock break rbd_header.1013e37e1c61 seapath-start client.4120 '--lock-cookie=a b'\\''c'",
    );
  });
});

/** One exclusive lock per header object, as cls_lock keeps it; `release` takes any locker's name and cookie. */
class InMemoryLocks implements StartLockStore {
  readonly held = new Map<string, StartLocker>();
  readonly taken: string[] = [];
  readonly released: string[] = [];
  private next = 4100;
  /** take() on this object fails with this error, after taking the lock when `takesFirst` (a timed-out `lock get`). */
  failOn?: { object: string; error: Error; takesFirst?: boolean };

  take(header: HeaderObject, cookie: string, _durationS: number, description: string): Promise<'taken' | 'busy'> {
    const fail = this.failOn?.object === header.object ? this.failOn : undefined;
    if (fail && !fail.takesFirst) return Promise.reject(fail.error);
    if (this.held.has(header.object)) return Promise.resolve('busy');
    const locker = { name: `client.${this.next++}`, cookie, description, expiration: 'soon', address: '192.0.2.11:0/1' };
    this.held.set(header.object, locker);
    this.taken.push(header.object);
    return fail ? Promise.reject(fail.error) : Promise.resolve('taken');
  }

  holders(header: HeaderObject): Promise<StartLocker[]> {
    const l = this.held.get(header.object);
    return Promise.resolve(l ? [l] : []);
  }

  release(header: HeaderObject, locker: StartLocker): Promise<void> {
    const l = this.held.get(header.object);
    if (l?.name === locker.name && l.cookie === locker.cookie) {
      this.held.delete(header.object);
      this.released.push(header.object);
    }
    return Promise.resolve();
  }
}

function logger(lines: string[]): Logger {
  const add = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return { debug: add('DEBUG'), info: add('INFO'), warn: add('WARNING'), err: add('ERROR') };
}

const headerOf = (image: string): Promise<HeaderObject> =>
  Promise.resolve({ pool: image.split('/')[0] ?? '', namespace: undefined, object: `rbd_header.${image.split('/').at(-1) ?? ''}` });

function options(locks: StartLockStore, lines: string[], waitMs: number, view?: ClusterView): StartLockOptions {
  return {
    headerOf,
    locks,
    node: 'node1',
    user: 'client.agent',
    waitDeadline: Deadline.after(waitMs),
    actionDeadline: Deadline.after(60_000),
    readCluster: () => Promise.resolve(view),
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

function node(name: string, address: string, over: Partial<ClusterNode> = {}): ClusterNode {
  return { name, online: true, unclean: false, member: true, addresses: [address], ...over };
}

describe('takeStartLocks', () => {
  it('takes every image in one order whatever the XML lists, naming this node, and gives back only its own', async () => {
    const locks = new InMemoryLocks();
    const held = await takeStartLocks('vm1', ['rbd/system_vm1', 'rbd/data_vm1_0'], options(locks, [], 5000));
    expect(locks.taken).toEqual(['rbd_header.data_vm1_0', 'rbd_header.system_vm1']);
    expect(locks.held.get('rbd_header.system_vm1')?.description).toBe('vm1 starting on node1');
    locks.held.set('rbd_header.other_vm', otherStart);
    await held.release(Deadline.after(1000));
    expect([...locks.held.keys()]).toEqual(['rbd_header.other_vm']);
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
    const error = await takeStartLocks('vm1', ['rbd/system_vm1', 'rbd/data_vm1_0'], options(locks, [], 3600)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OcfError);
    expect((error as OcfError).code).toBe(Ocf.ERR_GENERIC);
    expect((error as OcfError).message).toMatch(
      /^refusing to start vm1: node2 is starting it \(start lock on rbd\/system_vm1 held by client\.4000 at 192\.0\.2\.12:0\/9 until /,
    );
    expect((error as OcfError).message).toContain(
      'rados --pool=rbd lock break rbd_header.system_vm1 seapath-start client.4000 --lock-cookie=theirs',
    );
    expect([...locks.held.keys()]).toEqual(['rbd_header.system_vm1']);
  });

  it('breaks the lock of a start whose node was fenced after it was last active, and takes it', async () => {
    const locks = new InMemoryLocks();
    locks.held.set('rbd_header.system_vm1', otherStart);
    const view: ClusterView = {
      nodes: [node('node1', '192.0.2.11'), node('node2', '192.0.2.12', { online: false, member: false, lastActiveAtMs: 1000 })],
      fencing: [{ target: 'node2', action: 'off', status: 'success', completedAtMs: 2000 }],
    };
    const lines: string[] = [];
    await takeStartLocks('vm1', ['rbd/system_vm1'], options(locks, lines, 5000, view));
    expect(locks.held.get('rbd_header.system_vm1')?.description).toBe('vm1 starting on node1');
    expect(lines.join('\n')).toContain('INFO: broke the start lock on rbd/system_vm1 of node2, fenced at 1970-01-01T00:00:02.000Z');
  });

  it('does not break the lock of a node that is offline but was never fenced (STONITH off)', async () => {
    const locks = new InMemoryLocks();
    locks.held.set('rbd_header.system_vm1', otherStart);
    const view: ClusterView = { nodes: [node('node2', '192.0.2.12', { online: false, member: false, lastActiveAtMs: 1000 })], fencing: [] };
    const error = await takeStartLocks('vm1', ['rbd/system_vm1'], options(locks, [], 3600, view)).catch((e: unknown) => e);
    expect((error as OcfError).message).toMatch(/^refusing to start vm1: node2 is starting it/);
    expect(locks.held.get('rbd_header.system_vm1')).toBe(otherStart);
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
    // 1.5 s of waiting (the last 3 s are the guard's), a try every 0.1 s: about fifteen tries; a loop without its pause makes hundreds
    const error = await takeStartLocks('vm1', ['rbd/system_vm1'], { ...options(locks, [], 4500), everyMs: 100 }).catch((e: unknown) => e);
    expect((error as OcfError).message).toMatch(
      /^refusing to start vm1: another client is starting it \(start lock on rbd\/system_vm1\)\./,
    );
    expect(takes).toBeGreaterThan(1);
    expect(takes).toBeLessThanOrEqual(20);
  });

  it('gives back a lock whose `lock get` timed out after taking it, when the start gives up', async () => {
    const locks = new InMemoryLocks();
    locks.failOn = {
      object: 'rbd_header.system_vm1',
      error: new ExecFailed(['rados', 'lock', 'get'], undefined, '', true),
      takesFirst: true,
    };
    const error = await takeStartLocks('vm1', ['rbd/system_vm1'], options(locks, [], 5000)).catch((e: unknown) => e);
    expect((error as OcfError).message).toBe(
      'refusing to start vm1: rbd/system_vm1: cannot take its start lock: Ceph did not answer in time',
    );
    expect(locks.released).toEqual(['rbd_header.system_vm1']);
    expect(locks.held.size).toBe(0);
  });

  it('keeps the locks when the start failed by timing out (libvirt may still start QEMU), gives them back otherwise', async () => {
    const locks = new InMemoryLocks();
    const lines: string[] = [];
    const held = await takeStartLocks('vm1', ['rbd/system_vm1'], options(locks, lines, 5000));
    await held.release(Deadline.after(1000), new ExecFailed(['virsh', 'create'], undefined, '', true));
    expect(locks.held.size).toBe(1);
    expect(lines.join('\n')).toContain('WARNING: keeping the start lock of vm1 until it expires: libvirt may still be starting it');
    await held.release(Deadline.after(1000), new ExecFailed(['virsh', 'create'], 1, 'error: Failed to create domain', false));
    expect(locks.held.size).toBe(0);
  });

  it('a Ceph user that may not lock: 4 (ERR_PERM), naming the user and the caps it needs', async () => {
    const locks = new InMemoryLocks();
    locks.failOn = {
      object: 'rbd_header.system_vm1',
      error: new ExecFailed(['rados', 'lock', 'get'], 1, 'ERROR: failed locking: (1) Operation not permitted', false),
    };
    const error = await takeStartLocks('vm1', ['rbd/system_vm1'], options(locks, [], 5000)).catch((e: unknown) => e);
    expect((error as OcfError).code).toBe(Ocf.ERR_PERM);
    expect((error as OcfError).message).toMatch(
      /^refusing to start vm1: rbd\/system_vm1: cannot take its start lock: client\.agent needs osd caps profile rbd/,
    );
  });

  it('an image whose header cannot be found: 1 naming the image, nothing taken', async () => {
    const locks = new InMemoryLocks();
    const opts = {
      ...options(locks, [], 5000),
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
