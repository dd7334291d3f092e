// SPDX-License-Identifier: Apache-2.0
// The layout of a Node 24 SEA blob (src/node_sea.cc): magic u32, flags u32, exec-argv extension u8,
// then length-prefixed (u64, little-endian) strings: the main script's path, the startup snapshot
// (with useSnapshot), then what the other flags add (exec argv). All integers little-endian.

export const seaMagic = 0x0143da20;
export const snapshotMagic = 0x0143da19;
const useSnapshotFlag = 0x2;
const firstStringOffset = 4 + 4 + 1;

export class SeaBlobError extends Error {}

function lengthAt(blob: Buffer, offset: number, what: string): number {
  if (offset + 8 > blob.length) throw new SeaBlobError(`the SEA blob ends before the length of ${what}`);
  const length = Number(blob.readBigUInt64LE(offset));
  if (offset + 8 + length > blob.length) throw new SeaBlobError(`the SEA blob ends inside ${what}`);
  return length;
}

/** Where the startup snapshot lies in the SEA blob: the offset of its u64 length, and that length. */
function snapshotSpan(sea: Buffer): { start: number; length: number } {
  if (sea.length < firstStringOffset || sea.readUInt32LE(0) !== seaMagic) throw new SeaBlobError('not a Node SEA blob (magic)');
  if ((sea.readUInt32LE(4) & useSnapshotFlag) === 0) throw new SeaBlobError('the SEA blob was not made with useSnapshot');
  const start = firstStringOffset + 8 + lengthAt(sea, firstStringOffset, 'the main script path');
  const length = lengthAt(sea, start, 'the snapshot');
  if (length < 4 || sea.readUInt32LE(start + 8) !== snapshotMagic) {
    throw new SeaBlobError('the SEA blob holds no snapshot where expected');
  }
  return { start, length };
}

/** The startup snapshot the SEA blob carries. */
export function snapshotOf(sea: Buffer): Buffer {
  const { start, length } = snapshotSpan(sea);
  return sea.subarray(start + 8, start + 8 + length);
}

/** The SEA blob with its startup snapshot replaced by `snapshot`; every other byte is kept. */
export function replaceSnapshot(sea: Buffer, snapshot: Buffer): Buffer {
  const { start, length: oldLength } = snapshotSpan(sea);
  if (snapshot.length < 4 || snapshot.readUInt32LE(0) !== snapshotMagic) throw new SeaBlobError('not a Node snapshot blob (magic)');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(snapshot.length));
  return Buffer.concat([sea.subarray(0, start), length, snapshot, sea.subarray(start + 8 + oldLength)]);
}
