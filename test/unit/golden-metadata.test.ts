// SPDX-License-Identifier: Apache-2.0
// What Pacemaker sees of every agent, committed: a change in meta-data shows as a diff of test/golden/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../lib/ocf/index.js';
import { runFenceAgent } from '../../lib/fence/index.js';
import { fenceOutscale } from '../../fence/outscale/index.js';
import { resourceAgents } from '../../src/agents.js';

const ocfRng = join(import.meta.dirname, '../../spec/ocf-ra-api-1.1.rng');
const fenceRng = '/usr/share/cluster/relaxng/metadata.rng';
const golden = (file: string) => join(import.meta.dirname, '../golden', file);

function validates(xml: string, rng: string): string {
  // --nonet: the DOCTYPE names ra-api-1.dtd, which is not fetched; the RELAX NG schema decides.
  const check = spawnSync('xmllint', ['--noout', '--nonet', '--relaxng', rng, '-'], { input: xml, encoding: 'utf8' });
  return check.status === 0 ? (check.stderr.trim().split('\n').at(-1) ?? '') : check.stderr;
}

describe('golden meta-data', () => {
  const env = { OCF_ROOT: '/usr/lib/ocf', HA_RSCTMP: mkdtempSync(join(tmpdir(), 'golden-')) };

  it.each(Object.keys(resourceAgents))('ocf:seapath:%s prints the committed meta-data, valid OCF 1.1', async (name) => {
    const agent = await resourceAgents[name]!();
    const result = await runAction(agent, 'meta-data', env);
    expect(result.exitCode).toBe(0);
    expect(validates(result.stdout, ocfRng)).toBe('- validates');
    await expect(result.stdout).toMatchFileSnapshot(golden(`${name}.xml`));
  });

  it('fence_outscale prints the committed metadata, valid for fence-agents', async () => {
    const result = await runFenceAgent(fenceOutscale, { argv: [], stdin: 'action=metadata\n', env: {} });
    expect(result.exitCode).toBe(0);
    expect(validates(result.stdout, fenceRng)).toBe('- validates');
    await expect(result.stdout).toMatchFileSnapshot(golden('fence_outscale.xml'));
  });
});
