// SPDX-License-Identifier: Apache-2.0
// Replaces the startup snapshot inside a Node SEA blob with another snapshot made by the same node.
// usage: node sea-snapshot.cjs SEA_BLOB SNAPSHOT_BLOB OUT
//
// Why: a snapshot made through the SEA configuration always carries V8 code cache for every one of
// Node's built-in modules (4.6 MB of the 7.9 MB blob). Node copies all of it out of the executable
// at every start, although the agents' own modules are already compiled in the snapshot heap.
// `--build-snapshot-config` can leave it out (`withoutCodeCache`); the SEA configuration cannot.
//
// The SEA blob (Node 24, src/node_sea.cc): magic u32, flags u32, exec-argv extension u8, then
// length-prefixed (u64) strings: the main script's path, the snapshot, then what the flags add
// (exec argv). Everything but the snapshot is copied unchanged.
import { readFileSync, writeFileSync } from 'node:fs';

const seaMagic = 0x0143da20;
const snapshotMagic = 0x0143da19;
const useSnapshotFlag = 0x2;
const snapshotOffset = 4 + 4 + 1;

function fail(message: string): never {
  process.stderr.write(`sea-snapshot: ${message}\n`);
  process.exit(1);
}

function lengthAt(blob: Buffer, offset: number, what: string): number {
  if (offset + 8 > blob.length) fail(`the SEA blob ends before the length of ${what}`);
  const length = Number(blob.readBigUInt64LE(offset));
  if (offset + 8 + length > blob.length) fail(`the SEA blob ends inside ${what}`);
  return length;
}

function withSnapshot(sea: Buffer, snapshot: Buffer): Buffer {
  if (sea.length < snapshotOffset || sea.readUInt32LE(0) !== seaMagic) fail('not a Node SEA blob (magic)');
  if ((sea.readUInt32LE(4) & useSnapshotFlag) === 0) fail('the SEA blob was not made with useSnapshot');
  if (snapshot.length < 4 || snapshot.readUInt32LE(0) !== snapshotMagic) fail('not a Node snapshot blob (magic)');
  const pathLength = lengthAt(sea, snapshotOffset, 'the main script path');
  const start = snapshotOffset + 8 + pathLength;
  const oldLength = lengthAt(sea, start, 'the snapshot');
  if (sea.readUInt32LE(start + 8) !== snapshotMagic) fail('the SEA blob holds no snapshot where expected');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(snapshot.length));
  return Buffer.concat([sea.subarray(0, start), length, snapshot, sea.subarray(start + 8 + oldLength)]);
}

const [seaPath, snapshotPath, outPath] = process.argv.slice(2);
if (seaPath === undefined || snapshotPath === undefined || outPath === undefined) {
  fail('usage: sea-snapshot SEA_BLOB SNAPSHOT_BLOB OUT');
}
writeFileSync(outPath, withSnapshot(readFileSync(seaPath), readFileSync(snapshotPath)));
