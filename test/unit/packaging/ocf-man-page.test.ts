// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../../lib/ocf/index.js';
import { runFenceAgent } from '../../../lib/fence/index.js';
import { fenceOutscale } from '../../../fence/outscale/index.js';
import { ocfManPage, parseMetaData } from '../../../packaging/ocf-man-page.js';
import { resourceAgents } from '../../../src/agents.js';

// Parameter names read from the XML with a plain pattern, independently of the page generator's parser.
const declaredNames = (xml: string, element: string): string[] =>
  [...xml.matchAll(new RegExp(`<${element} name="([^"]+)"`, 'g'))].map((m) => m[1] ?? '');

// What a reader sees: the page rendered by man-db's groff, without formatting.
function rendered(troff: string): string {
  const r = spawnSync('man', ['--warnings', '-l', '-'], {
    input: troff,
    encoding: 'utf8',
    env: { ...process.env, MANWIDTH: '200', MAN_KEEP_FORMATTING: '' },
  });
  expect(r.stderr).toBe('');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: man(1) output holds backspaces (overstrike bold and underline)
  return r.stdout.replace(/.\x08/g, '');
}

describe('ocf_seapath_<agent>.7', () => {
  it.each(Object.keys(resourceAgents))('the page of %s names every parameter and action of its meta-data', async (name) => {
    const load = resourceAgents[name];
    if (!load) throw new Error(name);
    const xml = (await runAction(await load(), 'meta-data', {})).stdout;
    const params = declaredNames(xml, 'parameter');
    expect(params.length).toBeGreaterThan(0);
    const page = rendered(ocfManPage(parseMetaData(xml), { provider: 'seapath', source: 'seapath-agents test' }));
    expect(page).toContain(`ocf_seapath_${name} - `);
    const paramSection = page.slice(page.indexOf('SUPPORTED PARAMETERS'), page.indexOf('SUPPORTED ACTIONS'));
    for (const p of params) expect(paramSection).toMatch(new RegExp(`^ {7}${p}$`, 'm'));
    const actionSection = page.slice(page.indexOf('SUPPORTED ACTIONS'), page.indexOf('EXAMPLE CRM SHELL'));
    for (const a of declaredNames(xml, 'action')) expect(actionSection).toMatch(new RegExp(`^ {7}${a}$`, 'm'));
    expect(page).toContain(`primitive p_${name} ocf:seapath:${name}`);
  });

  it('states required, unique, reloadable, deprecated, type and default as the stock pages do', () => {
    const xml = `<?xml version="1.0"?><resource-agent name="t" version="1"><version>1.1</version>
      <longdesc lang="en">First paragraph.\n\nSecond - paragraph.</longdesc><shortdesc lang="en">Test agent</shortdesc>
      <parameters>
        <parameter name="ip" unique-group="addr" required="1">
          <longdesc lang="en">.dot first</longdesc><shortdesc lang="en">x</shortdesc><content type="string"/>
        </parameter>
        <parameter name="mode" required="0" reloadable="1">
          <longdesc lang="en">Mode.</longdesc><shortdesc lang="en">m</shortdesc>
          <content type="select" default="a"><option value="a"/><option value="b"/></content>
        </parameter>
        <parameter name="old" required="0">
          <deprecated><replaced-with name="mode"/></deprecated>
          <longdesc lang="en">Old.</longdesc><shortdesc lang="en">o</shortdesc><content type="boolean" default="false"/>
        </parameter>
      </parameters>
      <actions><action name="start" timeout="20s"/><action name="monitor" timeout="20s" interval="10s" depth="0"/></actions>
      </resource-agent>`;
    const page = rendered(ocfManPage(parseMetaData(xml), { provider: 'p', source: 's' }));
    expect(page).toContain('(unique group: addr, required, string, no default)');
    expect(page).toContain('(optional, reloadable, select: a | b, default "a")');
    expect(page).toContain('Deprecated: use mode instead.');
    expect(page).toContain('(optional, boolean, default "false")');
    expect(page).toMatch(/First paragraph\.\n\n\s+Second - paragraph\./);
    expect(page).toContain('.dot first');
    expect(page).toContain('Performs a detailed status check. Suggested minimum timeout: 20s. Suggested interval: 10s.');
    expect(page).toMatch(/primitive p_t ocf:p:t \\\n\s+params \\\n\s+ip=string \\\n\s+op monitor depth="0" timeout="20s" interval="10s"/);
  });
});

describe('fence_outscale.8', () => {
  it("names every option of the agent's metadata", async () => {
    const xml = (await runFenceAgent(fenceOutscale, { argv: [], stdin: 'action=metadata\n', env: {} })).stdout;
    const page = rendered((await runFenceAgent(fenceOutscale, { argv: ['-o', 'manpage'], stdin: '', env: {} })).stdout);
    const params = declaredNames(xml, 'parameter');
    expect(params.length).toBeGreaterThan(10);
    for (const p of params) expect(page).toMatch(new RegExp(`\\b${p}\\b`));
  });
});
