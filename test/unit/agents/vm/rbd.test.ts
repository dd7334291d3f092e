// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { formatHolder, parseRbdLocks, parseRbdWatchers } from '../../../../agents/vm/rbd.js';

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
    expect(parseRbdLocks(json)).toEqual([{ kind: 'lock', client: 'client.4159', address: '127.0.0.1:0/3654830765', lockId: 'auto 140274907055952' }]);
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
    expect(formatHolder({ kind: 'watcher', client: 'client.4125', address: '198.51.100.11:0/1' })).toBe('client.4125 at 198.51.100.11:0/1 (watcher)');
    expect(formatHolder({ kind: 'lock', client: 'client.9', address: 'a', lockId: 'auto 1' })).toBe("client.9 at a (lock 'auto 1')");
  });
});
