// SPDX-License-Identifier: Apache-2.0
// Writes every agent's man page from the agent itself: ocf_seapath_<agent>.7 from `<agent> meta-data`,
// <fence agent>.8 from `<fence agent> -o manpage`.
// usage: node dist/man-pages.cjs AGENTS_BUNDLE OUTDIR VERSION   (run from the repository root)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ocfManPage, parseMetaData } from './ocf-man-page.js';

function listed(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

// The bundle takes the agent's name as its first argument (src/main.ts), so no link is needed.
function runAgent(bundle: string, args: readonly string[]): string {
  return execFileSync(process.execPath, [bundle, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
}

const [bundle, outDir, version] = process.argv.slice(2);
if (!bundle || !outDir || !version) {
  process.stderr.write('usage: man-pages AGENTS_BUNDLE OUTDIR VERSION\n');
  process.exit(2);
}
mkdirSync(join(outDir, 'man7'), { recursive: true });
mkdirSync(join(outDir, 'man8'), { recursive: true });
for (const agent of listed('packaging/resource-agents.list')) {
  const meta = parseMetaData(runAgent(bundle, [agent, 'meta-data']));
  writeFileSync(
    join(outDir, 'man7', `ocf_seapath_${agent}.7`),
    ocfManPage(meta, { provider: 'seapath', source: `seapath-agents ${version}` }),
  );
}
for (const agent of listed('packaging/fence-agents.list')) {
  writeFileSync(join(outDir, 'man8', `${agent}.8`), runAgent(bundle, [agent, '-o', 'manpage']));
}
