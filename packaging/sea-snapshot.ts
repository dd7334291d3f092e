// SPDX-License-Identifier: Apache-2.0
// Removes the code cache of Node's built-in modules from the startup snapshot inside a Node SEA blob.
// usage: node sea-snapshot.cjs SEA_BLOB OUT
//
// Why: a snapshot made through the SEA configuration carries V8 code cache for every one of Node's
// built-in modules (4.6 of its 7.9 MB), which V8 rejects under --jitless, and Node copies the whole
// snapshot out of the executable at every start. `withoutCodeCache` would leave it out, but it
// also makes Node take the snapshot with V8's FunctionCodeHandling::kClear, which throws away the
// bytecode of every function compiled while building: each run would compile again the ~250
// functions of Node's bootstrap and of the agents that it runs (with the build's warm-up, 1.5 ms of
// a vip monitor, bench/README.md). So the snapshot is made with the cache, which is cut off here.
import { readFileSync, writeFileSync } from 'node:fs';
import { withoutBuiltinCodeCache } from './node-snapshot.js';
import { replaceSnapshot, SeaBlobError, snapshotOf } from './sea-blob.js';

const [seaPath, outPath] = process.argv.slice(2);
try {
  if (seaPath === undefined || outPath === undefined) throw new SeaBlobError('usage: sea-snapshot SEA_BLOB OUT');
  const sea = readFileSync(seaPath);
  writeFileSync(outPath, replaceSnapshot(sea, withoutBuiltinCodeCache(snapshotOf(sea))));
} catch (e) {
  process.stderr.write(`sea-snapshot: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
