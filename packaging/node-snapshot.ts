// SPDX-License-Identifier: Apache-2.0
// The layout of a Node 24 startup snapshot blob (src/node_snapshotable.cc, SnapshotData::ToBlob), as
// node 24.21 writes it: magic u32; metadata (type u8, version, arch and platform strings, flags u32);
// the V8 startup data (i32 size, bytes); the isolate data and environment serialize infos; and
// last, the code cache of Node's built-in modules. Integers are little-endian, sizes and snapshot
// indices u64, strings a u64 length and that many bytes.
import { snapshotMagic } from './sea-blob.js';

export class NodeSnapshotError extends Error {}

class Reader {
  offset = 0;
  constructor(private readonly blob: Buffer) {}

  private need(bytes: number, what: string): void {
    if (this.offset + bytes > this.blob.length) throw new NodeSnapshotError(`the snapshot ends inside ${what}`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.blob.readUInt8(this.offset++);
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.blob.readUInt32LE(this.offset);
    this.offset += 4;
    return v;
  }

  u64(what: string): number {
    this.need(8, what);
    const v = this.blob.readBigUInt64LE(this.offset);
    this.offset += 8;
    if (v > BigInt(this.blob.length)) throw new NodeSnapshotError(`${what} is ${v}, more than the whole snapshot`);
    return Number(v);
  }

  bytes(length: number, what: string): Buffer {
    this.need(length, what);
    const b = this.blob.subarray(this.offset, this.offset + length);
    this.offset += length;
    return b;
  }

  string(what: string): string {
    return this.bytes(this.u64(`the length of ${what}`), what).toString('latin1');
  }

  skipU64s(count: number, what: string): void {
    for (let i = 0; i < count; i++) this.u64(what);
  }

  skipVector(what: string, element: () => void): number {
    const count = this.u64(`the length of ${what}`);
    for (let i = 0; i < count; i++) element();
    return count;
  }
}

function skipPropInfo(r: Reader, what: string): void {
  r.string(`a name in ${what}`);
  r.u32(`an id in ${what}`);
  r.u64(`an index in ${what}`);
}

/** Where the built-in modules' code cache starts: everything before it is what a snapshot made without it holds. */
function codeCacheOffset(snapshot: Buffer): { offset: number; entries: number } {
  const r = new Reader(snapshot);
  if (r.u32('the magic') !== snapshotMagic) throw new NodeSnapshotError('not a Node snapshot blob (magic)');
  r.u8('the snapshot type');
  const version = r.string('the Node version');
  if (!version.startsWith('24.')) throw new NodeSnapshotError(`made by Node ${version}; this layout is Node 24's`);
  r.string('the architecture');
  r.string('the platform');
  r.u32('the snapshot flags');
  const v8Size = r.u32('the size of the V8 startup data');
  r.bytes(v8Size, 'the V8 startup data');
  // IsolateDataSerializeInfo: primitive values, template values.
  r.skipVector('the primitive values', () => r.u64('a primitive value'));
  r.skipVector('the template values', () => skipPropInfo(r, 'the template values'));
  // EnvSerializeInfo: async hooks (four indices and a vector), tick, immediate and timeout infos,
  // the three of the performance state, exit info, stream base state, abort-on-uncaught toggle.
  r.skipU64s(4, 'the async hooks info');
  r.skipVector('the async resources', () => r.u64('an async resource'));
  r.skipU64s(9, 'the environment info');
  // RealmSerializeInfo: built-in module ids, persistent values, native objects, context index.
  r.skipVector('the built-in module ids', () => r.string('a built-in module id'));
  r.skipVector('the persistent values', () => skipPropInfo(r, 'the persistent values'));
  r.skipVector('the native objects', () => skipPropInfo(r, 'the native objects'));
  r.u64('the context index');
  const offset = r.offset;
  const entries = r.skipVector('the code cache', () => {
    r.string('a code cache id');
    r.bytes(r.u64('the length of a code cache'), 'a code cache');
  });
  if (r.offset !== snapshot.length) {
    throw new NodeSnapshotError(`${snapshot.length - r.offset} bytes follow the code cache: not the layout this reads`);
  }
  return { offset, entries };
}

/** How many built-in modules the snapshot carries code cache for. */
export function builtinCodeCacheEntries(snapshot: Buffer): number {
  return codeCacheOffset(snapshot).entries;
}

/**
 * The snapshot with an empty code cache for Node's built-in modules; every other byte is kept. The
 * V8 startup data is untouched: whatever was compiled in it stays compiled.
 */
export function withoutBuiltinCodeCache(snapshot: Buffer): Buffer {
  const { offset } = codeCacheOffset(snapshot);
  return Buffer.concat([snapshot.subarray(0, offset), Buffer.alloc(8)]);
}
