// SPDX-License-Identifier: Apache-2.0
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinCodeCacheEntries, NodeSnapshotError, withoutBuiltinCodeCache } from '../../../packaging/node-snapshot.js';
import { snapshotMagic } from '../../../packaging/sea-blob.js';

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const str = (s: string): Buffer => Buffer.concat([u64(s.length), Buffer.from(s, 'latin1')]);
const vector = (items: Buffer[]): Buffer => Buffer.concat([u64(items.length), ...items]);
const propInfo = (name: string): Buffer => Buffer.concat([str(name), u32(1), u64(2)]);

/** A snapshot laid out as node 24.21 writes one, with made-up contents. */
function snapshot(codeCache: Array<[string, string]>, version = '24.21.0'): { blob: Buffer; beforeCache: Buffer } {
  const v8 = Buffer.from('V8 startup data');
  const beforeCache = Buffer.concat([
    u32(snapshotMagic),
    Buffer.from([1]),
    str(version),
    str('x64'),
    str('linux'),
    u32(0),
    u32(v8.length),
    v8,
    vector([u64(3), u64(4)]),
    vector([propInfo('template')]),
    u64(0),
    u64(1),
    u64(2),
    u64(3),
    vector([]),
    ...Array.from({ length: 9 }, (_, i) => u64(i + 4)),
    vector([str('async_hooks'), str('child_process')]),
    vector([propInfo('persistent')]),
    vector([propInfo('native'), propInfo('native2')]),
    u64(13),
  ]);
  const cache = vector(codeCache.map(([id, data]) => Buffer.concat([str(id), str(data)])));
  return { blob: Buffer.concat([beforeCache, cache]), beforeCache };
}

describe('withoutBuiltinCodeCache', () => {
  it('empties the code cache vector and keeps every byte before it', () => {
    const { blob, beforeCache } = snapshot([
      ['internal/bootstrap/realm', 'cache one'],
      ['child_process', 'cache two, longer'],
    ]);
    expect(builtinCodeCacheEntries(blob)).toBe(2);
    const out = withoutBuiltinCodeCache(blob);
    expect(out).toEqual(Buffer.concat([beforeCache, u64(0)]));
    expect(builtinCodeCacheEntries(out)).toBe(0);
  });

  it('refuses what it cannot read to the last byte rather than cut at a guess', () => {
    const { blob } = snapshot([['fs', 'cache']]);
    expect(() => withoutBuiltinCodeCache(blob.subarray(0, blob.length - 1))).toThrow(/ends inside a code cache/);
    expect(() => withoutBuiltinCodeCache(Buffer.concat([blob, Buffer.from('x')]))).toThrow(/1 bytes follow the code cache/);
    expect(() => withoutBuiltinCodeCache(Buffer.from('#!/bin/sh\n'))).toThrow(NodeSnapshotError);
    expect(() => withoutBuiltinCodeCache(snapshot([], '22.12.0').blob)).toThrow(/made by Node 22\.12\.0/);
  });
});

describe('a snapshot made by the pinned node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'node-snapshot-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // greet() runs once while building and again in the deserialized process.
  const builder = join(dir, 'builder.cjs');
  writeFileSync(
    builder,
    "require('node:child_process');\n" +
      "function greet() { return 'deserialized\\n'; }\n" +
      'greet();\n' +
      "require('node:v8').startupSnapshot.setDeserializeMainFunction(() => process.stdout.write(greet()));\n",
  );

  // The test runs under the pinned node (make test), the one the build makes the snapshot with.
  function build(withoutCodeCache: boolean): Buffer {
    const config = join(dir, `config-${withoutCodeCache}.json`);
    const blob = join(dir, `snapshot-${withoutCodeCache}.blob`);
    writeFileSync(config, JSON.stringify({ builder, withoutCodeCache }));
    execFileSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot-config', config], { stdio: 'pipe' });
    return readFileSync(blob);
  }

  /** Runs the snapshot; whether V8 had to compile greet() again in that run. */
  function run(snapshotBlob: Buffer): { stdout: string; compiledGreet: boolean } {
    const blob = join(dir, 'run.blob');
    const log = join(dir, 'v8.log');
    writeFileSync(blob, snapshotBlob);
    rmSync(log, { force: true });
    const stdout = execFileSync(
      process.execPath,
      ['--log-function-events', `--logfile=${log}`, '--no-logfile-per-isolate', '--snapshot-blob', blob],
      { encoding: 'utf8' },
    );
    const compiledGreet = readFileSync(log, 'utf8')
      .split('\n')
      .some((line) => line.startsWith('function,interpreter,') && line.endsWith(',greet'));
    return { stdout, compiledGreet };
  }

  it('loses its code cache, keeps the bytecode compiled while building, and still starts', () => {
    const made = build(false);
    expect(builtinCodeCacheEntries(made)).toBeGreaterThan(100);
    const stripped = withoutBuiltinCodeCache(made);
    expect(builtinCodeCacheEntries(stripped)).toBe(0);
    expect(stripped.length).toBeLessThan(made.length / 1.5);
    expect(run(stripped)).toEqual({ stdout: 'deserialized\n', compiledGreet: false });
  });

  it('where withoutCodeCache would have made every run compile it again', () => {
    const lean = build(true);
    expect(builtinCodeCacheEntries(lean)).toBe(0);
    expect(run(lean)).toEqual({ stdout: 'deserialized\n', compiledGreet: true });
  });
});
