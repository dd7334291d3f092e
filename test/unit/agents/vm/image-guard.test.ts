// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { ExecFailed } from '../../../../lib/exec/exec-failed.js';
import type { ClusterNode, ClusterView } from '../../../../lib/cluster/nodes.js';
import type { Logger } from '../../../../lib/log/index.js';
import { Deadline } from '../../../../lib/time/index.js';
import { Ocf } from '../../../../lib/ocf/exit-codes.js';
import { OcfError } from '../../../../lib/ocf/ocf-error.js';
import { sortHolders, waitUntilImagesFree, type HolderSource } from '../../../../agents/vm/image-guard.js';
import { judgeHolder } from '../../../../agents/vm/holder-evidence.js';
import type { HeldLock, ImageHolder } from '../../../../agents/vm/rbd.js';

const watcherB: ImageHolder = { kind: 'watcher', client: 'client.4125', address: '198.51.100.12:0/2022473532' };
const qemuLockB: ImageHolder = {
  kind: 'lock',
  client: 'client.4125',
  address: '198.51.100.12:0/2022473532',
  lockId: 'auto 140274907055952',
};
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

  it('always counts an advisory lock (rbd lock add), watcher or not, unless the guard blocklisted its owner', () => {
    expect(sortHolders([adminLock])).toEqual({ live: [adminLock], stale: [] });
    expect(sortHolders([adminLock], new Set([adminLock.address]))).toEqual({ live: [], stale: [adminLock] });
  });

  it('matches a lock to its watcher by address when the client ids differ in form', () => {
    const lock = { ...qemuLockB, client: 'client.?' };
    expect(sortHolders([watcherB, lock]).stale).toEqual([]);
  });
});

// ---- in-memory Ceph and cluster -------------------------------------------------------------

const T0 = Date.parse('2026-11-29T18:00:00Z');
const node3Qemu: ImageHolder = { kind: 'watcher', client: 'client.4137', address: '192.0.2.13:0/2921807812' };
const node3Lock: ImageHolder = { kind: 'lock', client: 'client.4137', address: '192.0.2.13:0/2921807812', lockId: 'auto 1398' };

/** Watchers and locks per image; a blocklisted client loses its watches as OSDs drop them. */
class InMemoryCeph implements HolderSource {
  readonly user = 'client.agent';
  readonly blocklistCalls: string[] = [];
  readonly locksBroken: (HeldLock | undefined)[] = [];
  reads = 0;
  constructor(
    readonly images: Map<string, ImageHolder[]>,
    private readonly canBlocklist = true,
    /** Reads before a blocklisted client's watch disappears (OSDs apply the new map a little later). */
    private readonly dropWatchAfterReads = 1,
  ) {}
  private pendingDrops = new Map<string, number>();
  holders(image: string): Promise<ImageHolder[]> {
    this.reads += 1;
    for (const [address, left] of this.pendingDrops) {
      if (left <= 1) {
        for (const [name, hs] of this.images)
          this.images.set(
            name,
            hs.filter((h) => !(h.kind === 'watcher' && h.address === address)),
          );
        this.pendingDrops.delete(address);
      } else this.pendingDrops.set(address, left - 1);
    }
    return Promise.resolve([...(this.images.get(image) ?? [])]);
  }
  blocklist(address: string, _deadline: Deadline, lock?: HeldLock): Promise<void> {
    this.blocklistCalls.push(address);
    this.locksBroken.push(lock);
    if (!this.canBlocklist)
      return Promise.reject(new ExecFailed(['ceph', 'osd', 'blocklist', 'add', address], 13, 'Error EACCES: access denied', false));
    this.pendingDrops.set(address, this.dropWatchAfterReads);
    // rbd lock rm: the lock goes with the blocklist
    if (lock !== undefined)
      this.images.set(
        lock.image,
        (this.images.get(lock.image) ?? []).filter((h) => !(h.kind === 'lock' && h.lockId === lock.lockId && h.address === lock.address)),
      );
    return Promise.resolve();
  }
}

function node(name: string, address: string, over: Partial<ClusterNode> = {}): ClusterNode {
  return { name, online: true, unclean: false, member: true, addresses: [address], ...over };
}

/** node1 and node2 run; node3 is where the VM's other copy lives, in the state `over` gives it. */
function clusterWith(node3: Partial<ClusterNode>, fencing: ClusterView['fencing'] = []): ClusterView {
  return { nodes: [node('node1', '192.0.2.11'), node('node2', '192.0.2.12'), node('node3', '192.0.2.13', node3)], fencing };
}

const offlineClean: Partial<ClusterNode> = { online: false, member: false, lastActiveAtMs: T0 };
const fencedAfter = [{ target: 'node3', action: 'reboot', status: 'success', completedAtMs: T0 + 7000 }];

const lines: string[] = [];
const log = {
  info: (m: string) => void lines.push(m),
  warn: (m: string) => void lines.push(m),
  err: (m: string) => void lines.push(m),
  debug: () => undefined,
} satisfies Logger;

async function guard(ceph: InMemoryCeph, view: ClusterView | Error, waitMs = 300): Promise<{ error?: OcfError; clusterReads: number }> {
  let clusterReads = 0;
  const readCluster = () => {
    clusterReads += 1;
    return view instanceof Error ? Promise.reject(view) : Promise.resolve(view);
  };
  try {
    await waitUntilImagesFree('vm1', [...ceph.images.keys()], ceph, Deadline.after(waitMs), {
      readCluster,
      log,
      everyMs: 50,
    });
    return { clusterReads };
  } catch (e) {
    if (!(e instanceof OcfError)) throw e;
    return { error: e, clusterReads };
  }
}

describe('the image guard: evidence that the other copy cannot write', () => {
  it('starts at once on free images, without reading the cluster', async () => {
    const ceph = new InMemoryCeph(new Map([['rbd/system_vm1', []]]));
    expect(await guard(ceph, clusterWith(offlineClean))).toEqual({ clusterReads: 0 });
  });

  it('refuses a holder whose node is offline and clean but was never fenced (maintenance mode, STONITH off)', async () => {
    const ceph = new InMemoryCeph(new Map([['rbd/system_vm1', [node3Qemu, node3Lock]]]));
    const { error, clusterReads } = await guard(ceph, clusterWith(offlineClean), 1000);
    expect(error?.code).toBe(Ocf.ERR_GENERIC);
    expect(error?.reason).toMatch(
      /^refusing to start vm1: held by node3 \(client\.4137 at 192\.0\.2\.13:0\/2921807812\): stop vm1 on node3, or fence node3\. /,
    );
    expect(error?.reason.slice(0, 128)).toContain('stop vm1 on node3');
    expect(error?.reason).toContain('offline but was never fenced');
    expect(ceph.blocklistCalls).toEqual([]);
    expect(clusterReads).toBe(1); // once per action, not once per poll
    expect(ceph.reads).toBeGreaterThan(2);
  });

  it('blocklists the holder of a node fenced after it was last active, and starts once a fresh look shows it gone', async () => {
    const ceph = new InMemoryCeph(new Map([['rbd/system_vm1', [node3Qemu, node3Lock]]]), true, 2);
    const { error } = await guard(ceph, clusterWith(offlineClean, fencedAfter), 2000);
    expect(error).toBeUndefined();
    expect(ceph.blocklistCalls).toEqual([node3Qemu.address]); // once per client, watcher and lock alike
    // by breaking its lock: the lock of that client, on that image
    expect(ceph.locksBroken).toEqual([{ image: 'rbd/system_vm1', lockId: 'auto 1398', client: 'client.4137', address: node3Qemu.address }]);
    expect(ceph.reads).toBeGreaterThanOrEqual(3); // before, and until the watch was seen gone
  });

  it('refuses when the blocklist fails (a key without the osd blocklist capability): never "going on"', async () => {
    const ceph = new InMemoryCeph(new Map([['rbd/system_vm1', [node3Qemu]]]), false);
    const { error } = await guard(ceph, clusterWith(offlineClean, fencedAfter), 2000);
    expect(error?.code).toBe(Ocf.ERR_PERM);
    expect(error?.reason.slice(0, 128)).toMatch(
      /^refusing to start vm1: client\.agent may not blocklist 192\.0\.2\.13:0\/2921807812 of fenced node3: give it mon caps profile rbd\./,
    );
  });

  it('refuses while a blocklisted client still watches the image', async () => {
    const ceph = new InMemoryCeph(new Map([['rbd/system_vm1', [node3Qemu]]]), true, 1000);
    const { error } = await guard(ceph, clusterWith(offlineClean, fencedAfter), 1000);
    expect(ceph.blocklistCalls).toEqual([node3Qemu.address]);
    expect(error?.reason).toContain('find out why the blocklisted client 192.0.2.13:0/2921807812 still watches the image');
  });

  it("once the holder's watch expired, blocklists it by breaking the lock it left (it may be cut off, not dead), then starts", async () => {
    const ceph = new InMemoryCeph(new Map([['rbd/system_vm1', [node3Qemu, node3Lock]]]));
    setTimeout(() => ceph.images.set('rbd/system_vm1', [node3Lock]), 120); // only the QEMU's exclusive lock is left
    lines.length = 0;
    const { error } = await guard(ceph, clusterWith(offlineClean), 2000);
    expect(error).toBeUndefined();
    expect(ceph.blocklistCalls).toEqual([node3Lock.address]);
    expect(ceph.locksBroken).toEqual([{ image: 'rbd/system_vm1', lockId: 'auto 1398', client: 'client.4137', address: node3Lock.address }]);
    expect(ceph.images.get('rbd/system_vm1')).toEqual([]);
    expect(lines.join('\n')).toContain(
      "rbd/system_vm1: client.4137 at 192.0.2.13:0/2921807812 (lock 'auto 1398') holds the lock but no longer watches it",
    );
  });

  it('a stale lock alone (a killed QEMU): blocklisted at once, whatever the cluster says; a blocklist refused is a refusal', async () => {
    const ok = new InMemoryCeph(new Map([['rbd/system_vm1', [deadQemuLock]]]));
    expect((await guard(ok, new Error('no cluster here'))).error).toBeUndefined();
    expect(ok.blocklistCalls).toEqual([deadQemuLock.address]);
    const denied = new InMemoryCeph(new Map([['rbd/system_vm1', [deadQemuLock]]]), false);
    const { error } = await guard(denied, clusterWith(offlineClean), 1000);
    expect(error?.code).toBe(Ocf.ERR_PERM);
    expect(error?.reason).toMatch(
      new RegExp(
        "^refusing to start vm1: client\\.agent may not blocklist 198\\.51\\.100\\.13:0/1 that holds rbd/system_vm1's lock " +
          'without watching it: give it mon caps profile rbd\\.',
      ),
    );
  });

  it('blocklists nobody while one holder lacks evidence, even if another was fenced', async () => {
    const stranger: ImageHolder = { kind: 'watcher', client: 'client.9', address: '203.0.113.5:0/1' };
    const ceph = new InMemoryCeph(new Map([['rbd/system_vm1', [node3Qemu, stranger]]]));
    const { error } = await guard(ceph, clusterWith(offlineClean, fencedAfter));
    expect(ceph.blocklistCalls).toEqual([]);
    expect(error?.reason).toContain('203.0.113.5 is not the address of any cluster node');
  });

  it('refuses, naming the holder, where the cluster cannot be read', async () => {
    const ceph = new InMemoryCeph(new Map([['rbd/system_vm1', [node3Qemu]]]));
    const { error, clusterReads } = await guard(ceph, new Error('crm_mon exited 102'));
    expect(clusterReads).toBe(1);
    expect(error?.reason).toMatch(
      /^refusing to start vm1: held by client\.4137 at 192\.0\.2\.13:0\/2921807812: stop vm1 on 192\.0\.2\.13\./,
    );
    expect(ceph.blocklistCalls).toEqual([]);
  });

  it('names every held image in the reason', async () => {
    const ceph = new InMemoryCeph(
      new Map([
        ['rbd/system_vm1', [node3Qemu]],
        ['rbd/data_vm1_0', [node3Qemu]],
      ]),
    );
    const { error } = await guard(ceph, clusterWith({ online: true }));
    expect(error?.reason).toContain(
      'rbd/system_vm1 is held by client.4137 at 192.0.2.13:0/2921807812 (watcher); rbd/data_vm1_0 is held by',
    );
    expect(error?.reason).toContain('node3 is online');
  });
});

describe('judgeHolder', () => {
  const judge = (node3: Partial<ClusterNode>, fencing: ClusterView['fencing'] = []) =>
    judgeHolder('vm1', node3Qemu, clusterWith(node3, fencing));

  it('takes a fencing newer than the node was last active for proof', () => {
    expect(judge(offlineClean, fencedAfter)).toEqual({ kind: 'fenced', node: 'node3', fencedAtMs: T0 + 7000 });
  });

  it('takes a node whose history the fencing erased (no activity recorded since) for fenced', () => {
    expect(judge({ online: false, member: false }, fencedAfter)).toMatchObject({ kind: 'fenced' });
  });

  it('does not take a fencing the node outlived (it rejoined and was active after it) for proof', () => {
    expect(judge({ ...offlineClean, lastActiveAtMs: T0 + 30_000 }, fencedAfter)).toMatchObject({
      kind: 'unproven',
      why: expect.stringContaining(
        'was fenced at 2026-11-29T18:00:07Z but was active in the cluster after that (2026-11-29T18:00:30Z)',
      ) as string,
    });
    expect(judge({ ...offlineClean, lastActiveAtMs: T0 + 7000 }, fencedAfter)).toMatchObject({ kind: 'unproven' }); // same second: no proof
  });

  it('ignores fencing that failed, is pending, powered the node on, or has no readable time', () => {
    for (const e of [
      { target: 'node3', action: 'reboot', status: 'failed', completedAtMs: T0 + 7000 },
      { target: 'node3', action: 'reboot', status: 'pending' },
      { target: 'node3', action: 'on', status: 'success', completedAtMs: T0 + 7000 },
      { target: 'node2', action: 'off', status: 'success', completedAtMs: T0 + 7000 },
    ])
      expect(judge(offlineClean, [e])).toMatchObject({ kind: 'unproven' });
  });

  it('never takes a node Corosync still counts a member for fenced (Pacemaker stopped, corosync up)', () => {
    expect(judge({ ...offlineClean, member: true }, fencedAfter)).toMatchObject({
      kind: 'unproven',
      why: expect.stringContaining('Corosync still counts it a member') as string,
    });
  });

  it('does not release holders of online or unclean nodes', () => {
    expect(judge({ online: true }, fencedAfter)).toMatchObject({ kind: 'unproven', todo: 'stop vm1 on node3' });
    expect(judge({ online: false, member: false, unclean: true }, fencedAfter)).toMatchObject({
      kind: 'unproven',
      todo: 'wait for node3 to be fenced',
    });
  });

  it('maps holders to nodes by any of their addresses, IPv6 included', () => {
    const v6: ImageHolder = { kind: 'watcher', client: 'client.7', address: 'v2:[2001:db8::13]:0/77' };
    const view: ClusterView = {
      nodes: [node('node3', '192.0.2.13', { ...offlineClean, addresses: ['192.0.2.13', '2001:db8::13'] })],
      fencing: fencedAfter,
    };
    expect(judgeHolder('vm1', v6, view)).toMatchObject({ kind: 'fenced', node: 'node3' });
  });
});
