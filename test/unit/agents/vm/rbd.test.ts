// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { ExecFailed } from '../../../../lib/exec/exec-failed.js';
import { Deadline } from '../../../../lib/time/index.js';
import { formatHolder, parseRbdLocks, parseRbdWatchers, Rbd, type HeldLock } from '../../../../agents/vm/rbd.js';
import type { Exec } from '../../../../agents/vm/virsh.js';

describe('parseRbdWatchers', () => {
  it('reads the watchers of `rbd status --format json` (Pacific)', () => {
    const json = '{"watchers":[{"address":"198.51.100.11:0/2022473532","client":4125,"cookie":140274907055952}]}';
    expect(parseRbdWatchers(json)).toEqual([{ kind: 'watcher', client: 'client.4125', address: '198.51.100.11:0/2022473532' }]);
  });

  it.each(['{"watchers":[]}', '{}', '', '{"watchers":[], "migration": {}}'])('finds no watcher in %j', (json) => {
    expect(parseRbdWatchers(json)).toEqual([]);
  });

  it('fails loudly on output that is not JSON', () => {
    expect(() => parseRbdWatchers('Watchers: none')).toThrow('not JSON');
  });
});

describe('parseRbdLocks', () => {
  it('reads the list that Octopus and later print', () => {
    const json = '[{"id":"auto 140274907055952","locker":"client.4159","address":"127.0.0.1:0/3654830765"}]';
    expect(parseRbdLocks(json)).toEqual([
      { kind: 'lock', client: 'client.4159', address: '127.0.0.1:0/3654830765', lockId: 'auto 140274907055952' },
    ]);
  });

  it('reads the object keyed by lock id that older releases print', () => {
    const json = '{"mylock":{"locker":"client.4153","address":"127.0.0.1:0/1"}}';
    expect(parseRbdLocks(json)).toEqual([{ kind: 'lock', client: 'client.4153', address: '127.0.0.1:0/1', lockId: 'mylock' }]);
  });

  it.each(['[]', '{}', ''])('finds no lock in %j', (json) => {
    expect(parseRbdLocks(json)).toEqual([]);
  });
});

describe('formatHolder', () => {
  it('names the client, its address and what it holds', () => {
    expect(formatHolder({ kind: 'watcher', client: 'client.4125', address: '198.51.100.11:0/1' })).toBe(
      'client.4125 at 198.51.100.11:0/1 (watcher)',
    );
    expect(formatHolder({ kind: 'lock', client: 'client.9', address: 'a', lockId: 'auto 1' })).toBe("client.9 at a (lock 'auto 1')");
  });
});

describe('Rbd.blocklist', () => {
  const lock: HeldLock = { image: 'rbd/system_vm1', lockId: 'auto 1398', client: 'client.4137', address: '192.0.2.13:0/29' };
  function rbdAnswering(lockRmExit: number): { rbd: Rbd; calls: string[][] } {
    const calls: string[][] = [];
    const exec: Exec = (argv) => {
      calls.push([...argv]);
      if (argv[0] === 'rbd' && argv[1] === 'lock' && lockRmExit !== 0)
        return Promise.resolve({ stdout: '', stderr: 'rbd: releasing lock failed: (2) No such file or directory', exitCode: lockRmExit });
      return Promise.resolve({ stdout: '', stderr: '', exitCode: 0 });
    };
    return { rbd: new Rbd({ id: 'agent' }, exec), calls };
  }

  it('blocklists the holder of a lock by breaking it, with blocklist-on-break forced on whatever ceph.conf says', async () => {
    const { rbd, calls } = rbdAnswering(0);
    await rbd.blocklist(lock.address, Deadline.after(1000), lock);
    expect(calls).toEqual([
      [
        'rbd',
        'lock',
        'rm',
        '--rbd-blocklist-on-break-lock=true',
        '--rbd-blocklist-expire-seconds=604800', // a week, not Ceph's hour,
        '--id',
        'agent',
        '--',
        'rbd/system_vm1',
        'auto 1398',
        'client.4137',
      ],
    ]);
  });

  it('falls back to ceph osd blocklist add when the lock cannot be broken (gone in between, say)', async () => {
    const { rbd, calls } = rbdAnswering(2);
    await rbd.blocklist(lock.address, Deadline.after(1000), lock);
    expect(calls.map((c) => c.slice(0, 3))).toEqual([
      ['rbd', 'lock', 'rm'],
      ['ceph', 'osd', 'blocklist'],
    ]);
    expect(calls[1]).toEqual(['ceph', 'osd', 'blocklist', 'add', '192.0.2.13:0/29', '604800', '--id', 'agent']);
  });

  it('uses ceph osd blocklist add for a client that holds no lock, or a lock at another address', async () => {
    for (const l of [undefined, { ...lock, address: '192.0.2.13:0/30' }]) {
      const { rbd, calls } = rbdAnswering(0);
      await rbd.blocklist(lock.address, Deadline.after(1000), l);
      expect(calls).toEqual([['ceph', 'osd', 'blocklist', 'add', '192.0.2.13:0/29', '604800', '--id', 'agent']]);
    }
  });

  it('fails when ceph osd blocklist add fails: nothing is taken as blocklisted', async () => {
    const exec: Exec = (argv) =>
      argv[0] === 'ceph'
        ? Promise.reject(new ExecFailed(argv, 13, 'Error EACCES: access denied', false))
        : Promise.resolve({ stdout: '', stderr: 'rbd: releasing lock failed: (13) Permission denied', exitCode: 13 });
    await expect(new Rbd({}, exec).blocklist(lock.address, Deadline.after(1000), lock)).rejects.toThrow(ExecFailed);
  });
});

describe('Rbd.imageMeta', () => {
  const answering =
    (stderr: string, exitCode = 2): Exec =>
    () =>
      Promise.resolve({ stdout: '', stderr, exitCode });

  // rbd's words for each case (Ceph 16): what the exit reason and its code are chosen from
  it.each([
    ["rbd: error opening pool 'nopool': (2) No such file or directory", 'no-pool'],
    ['rbd: error opening image system_vm1: (2) No such file or directory', 'no-image'],
    ['rbd: failed to get metadata xml of image : (2) No such file or directory', 'no-key'],
  ])('%j is %s', async (stderr, kind) => {
    expect(await new Rbd({}, answering(stderr)).imageMeta('nopool/system_vm1', 'xml', Deadline.after(1000))).toEqual({ kind });
  });

  it("any other failure is thrown with rbd's words", async () => {
    const rbd = new Rbd({}, answering("rbd: error opening pool 'rbd': (1) Operation not permitted", 1));
    await expect(rbd.imageMeta('rbd/system_vm1', 'xml', Deadline.after(1000))).rejects.toThrow('Operation not permitted');
  });
});
