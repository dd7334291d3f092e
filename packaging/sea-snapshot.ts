// SPDX-License-Identifier: Apache-2.0
// Replaces the startup snapshot inside a Node SEA blob with another snapshot made by the same node.
// usage: node sea-snapshot.cjs SEA_BLOB SNAPSHOT_BLOB OUT
//
// Why: a snapshot made through the SEA configuration always carries V8 code cache for every one of
// Node's built-in modules (4.6 MB of the 7.9 MB blob), and Node copies it out of the executable at
// every start, although the agents' own modules are compiled in the snapshot heap already.
// `--build-snapshot-config` can leave it out (`withoutCodeCache`); the SEA configuration cannot.
import { readFileSync, writeFileSync } from 'node:fs';
import { replaceSnapshot, SeaBlobError } from './sea-blob.js';

const [seaPath, snapshotPath, outPath] = process.argv.slice(2);
try {
  if (seaPath === undefined || snapshotPath === undefined || outPath === undefined) {
    throw new SeaBlobError('usage: sea-snapshot SEA_BLOB SNAPSHOT_BLOB OUT');
  }
  writeFileSync(outPath, replaceSnapshot(readFileSync(seaPath), readFileSync(snapshotPath)));
} catch (e) {
  process.stderr.write(`sea-snapshot: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
