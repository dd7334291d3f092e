// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { sortHolders } from '../../../../agents/vm/image-guard.js';
import type { ImageHolder } from '../../../../agents/vm/rbd.js';

const watcherB: ImageHolder = { kind: 'watcher', client: 'client.4125', address: '198.51.100.12:0/2022473532' };
const qemuLockB: ImageHolder = { kind: 'lock', client: 'client.4125', address: '198.51.100.12:0/2022473532', lockId: 'auto 140274907055952' };
const deadQemuLock: ImageHolder = { kind: 'lock', client: 'client.4099', address: '198.51.100.13:0/1', lockId: 'auto 1402' };
const adminLock: ImageHolder = { kind: 'lock', client: 'client.4200', address: '198.51.100.10:0/7', lockId: 'otherhost' };

describe('sortHolders', () => {
  it('counts a watcher and the exclusive lock of the same live QEMU', () => {
    expect(sortHolders([watcherB, qemuLockB])).toEqual({ live: [watcherB, qemuLockB], stale: [] });
  });

  it('takes an exclusive lock whose owner no longer watches the image for a stale one (a killed QEMU)', () => {
    expect(sortHolders([deadQemuLock])).toEqual({ live: [], stale: [deadQemuLock] });
    expect(sortHolders([watcherB, deadQemuLock])).toEqual({ live: [watcherB], stale: [deadQemuLock] });
  });

  it('always counts an advisory lock (rbd lock add), watcher or not', () => {
    expect(sortHolders([adminLock])).toEqual({ live: [adminLock], stale: [] });
  });

  it('matches a lock to its watcher by address when the client ids differ in form', () => {
    const lock = { ...qemuLockB, client: 'client.?' };
    expect(sortHolders([watcherB, lock]).stale).toEqual([]);
  });
});
