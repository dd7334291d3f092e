// SPDX-License-Identifier: Apache-2.0
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOwnKrbdHolder } from '../../../../agents/vm/krbd.js';

const sys = mkdtempSync(join(tmpdir(), 'vm-krbd-'));
function mapped(id: string, attrs: Record<string, string>): void {
  mkdirSync(join(sys, id));
  for (const [k, v] of Object.entries(attrs)) writeFileSync(join(sys, id, k), `${v}\n`);
}
mapped('0', { pool: 'rbd', name: 'vm1-root', pool_ns: '', client_addr: '192.0.2.11:0/1111', client_id: 'client4151' });
mapped('1', { pool: 'rbd', name: 'vm1-data', pool_ns: 'ns1', client_id: 'client4152' });

const watcher = (address: string, client: string) => ({ kind: 'watcher' as const, address, client });

describe("isOwnKrbdHolder: this node's kernel mapping of a krbd disk is not another host", () => {
  it.each([
    ['rbd/vm1-root', watcher('192.0.2.11:0/1111', 'client.9'), true],
    ['rbd/vm1-root', watcher('192.0.2.12:0/2222', 'client.4242'), false], // another host's client
    ['rbd/ns1/vm1-data', watcher('192.0.2.11:0/3333', 'client.4152'), true], // no client_addr: the client id
    ['rbd/vm1-data', watcher('192.0.2.11:0/3333', 'client.4152'), false], // another namespace's image
    ['rbd/other', watcher('192.0.2.11:0/1111', 'client.4151'), false],
  ])('%s held by %o: %s', (image, holder, expected) => {
    expect(isOwnKrbdHolder(image, holder, sys)).toBe(expected);
  });

  it('without krbd on the node, no holder is its own', () => {
    expect(isOwnKrbdHolder('rbd/vm1-root', watcher('192.0.2.11:0/1111', 'client.4151'), join(sys, 'absent'))).toBe(false);
  });
});
