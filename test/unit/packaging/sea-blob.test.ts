// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { replaceSnapshot, SeaBlobError, seaMagic, snapshotMagic, snapshotOf } from '../../../packaging/sea-blob.js';

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function str(content: Buffer): Buffer {
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(content.length));
  return Buffer.concat([length, content]);
}

function snapshot(body: string): Buffer {
  return Buffer.concat([u32(snapshotMagic), Buffer.from(body)]);
}

// As node --experimental-sea-config writes it: flags 0x13 (no warning, snapshot, exec argv).
const execArgv = Buffer.concat([Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]), str(Buffer.from('--jitless'))]);
function seaBlob(snap: Buffer, flags = 0x13): Buffer {
  return Buffer.concat([u32(seaMagic), u32(flags), Buffer.from([0]), str(Buffer.from('dist/agents.cjs')), str(snap), execArgv]);
}

describe('replaceSnapshot', () => {
  it('swaps the snapshot and keeps the header, the main path and the exec argv byte for byte', () => {
    const lean = snapshot('lean');
    const out = replaceSnapshot(seaBlob(snapshot('with a large code cache')), lean);
    expect(out).toEqual(seaBlob(lean));
  });

  it('reads back the snapshot it holds', () => {
    const snap = snapshot('the snapshot itself');
    expect(snapshotOf(seaBlob(snap))).toEqual(snap);
    expect(() => snapshotOf(seaBlob(snap, 0x11))).toThrow(/not made with useSnapshot/);
  });

  it('refuses what is not a SEA blob, a blob without snapshot, and a snapshot without its magic', () => {
    expect(() => replaceSnapshot(Buffer.from('#!/bin/sh\n'), snapshot('x'))).toThrow(SeaBlobError);
    expect(() => replaceSnapshot(seaBlob(snapshot('x'), 0x11), snapshot('y'))).toThrow(/not made with useSnapshot/);
    expect(() => replaceSnapshot(seaBlob(snapshot('x')), Buffer.from('plain'))).toThrow(/snapshot blob \(magic\)/);
    expect(() => replaceSnapshot(seaBlob(Buffer.from('code, not a snapshot')), snapshot('y'))).toThrow(/no snapshot/);
  });

  it('refuses a truncated blob instead of writing a broken one', () => {
    const blob = seaBlob(snapshot('a snapshot of some length'));
    expect(() => replaceSnapshot(blob.subarray(0, 40), snapshot('y'))).toThrow(/ends inside the snapshot/);
    expect(() => replaceSnapshot(blob.subarray(0, 12), snapshot('y'))).toThrow(/ends before the length of the main script path/);
  });
});
