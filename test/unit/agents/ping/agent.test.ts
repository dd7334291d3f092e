// SPDX-License-Identifier: Apache-2.0
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAction } from '../../../../lib/ocf/index.js';
import ping from '../../../../agents/ping/index.js';

const agent = ping;
const rng = new URL('../../../../spec/ocf-ra-api-1.1.rng', import.meta.url).pathname;
const rsctmp = mkdtempSync(join(tmpdir(), 'ping-unit-'));
afterAll(() => rmSync(rsctmp, { recursive: true, force: true }));

const env = (params: Record<string, string>, meta: Record<string, string> = {}): Record<string, string> => ({
  OCF_RESOURCE_INSTANCE: 'ping-unit',
  HA_RSCTMP: rsctmp,
  ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`OCF_RESKEY_${k}`, v])),
  ...Object.fromEntries(Object.entries(meta).map(([k, v]) => [`OCF_RESKEY_CRM_meta_${k}`, v])),
});

describe('ocf:seapath:ping dispatch', () => {
  it.each([
    [{}, 'required parameter host_list is not set'],
    [{ host_list: '  ' }, 'host_list is empty'],
    [{ host_list: ' , ' }, 'host_list is empty'],
    [{ host_list: '192.0.2.1', multiplier: '10x' }, 'parameter multiplier: expected an integer'],
    [{ host_list: '192.0.2.1', dampen: 'soon' }, 'parameter dampen: expected a duration'],
    [{ host_list: '192.0.2.1', attempts: '0' }, 'parameter attempts: must be at least 1'],
  ])('validate-all with %j exits 6: %s', async (params, reason) => {
    const r = await runAction(agent, 'validate-all', env(params));
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain(`ocf-exit-reason:`);
    expect(r.stderr).toContain(reason);
  });

  it('validate-all accepts mixed IPv4, IPv6, names and tcp: entries', async () => {
    const r = await runAction(
      agent,
      'validate-all',
      env({ host_list: '192.0.2.1 2001:db8::1 gw.example tcp:[2001:db8::1]:22', dampen: '0', timeout: '500ms' }),
    );
    expect(r.exitCode).toBe(0);
  });

  it.each([
    ['a probe', { interval: '0' }],
    ['a recurring monitor', { interval: '10000' }],
  ])('monitor without a state file exits 7 (%s)', async (_, meta) => {
    expect((await runAction(agent, 'monitor', env({ host_list: '192.0.2.1' }, meta))).exitCode).toBe(7);
  });

  it('monitor with an empty host_list and no state file exits 7, as the stock agent (never 6)', async () => {
    expect((await runAction(agent, 'monitor', env({ host_list: ' ' }, { interval: '0' }))).exitCode).toBe(7);
    expect((await runAction(agent, 'monitor', env({ host_list: ' ' }, { interval: '10000' }))).exitCode).toBe(7);
  });

  it.each([
    [{ host_list: '192.0.2.1,192.0.2.2' }, 'separates hosts with commas'],
    [{ host_list: '192.0.2.1 192.0.2.256' }, "'192.0.2.256' is not a valid IPv4 address: it counts as unreachable"],
    [{ host_list: '192.0.2.1', use_fping: '2' }, "use_fping '2' is neither true nor false; read as false"],
    [{ host_list: '192.0.2.1', pidfile: '/var/run/ping-x' }, "pidfile '/var/run/ping-x' is ignored"],
    [{ host_list: '192.0.2.1', timeout: '0' }, "timeout '0' is 0: using 5 s, as the stock agent does"],
    [{ host_list: '192.0.2.1', timeout: 'one' }, "timeout 'one' is not a duration (5, 5s, 500ms): using the computed default"],
    [{ host_list: '192.0.2.1', options: '-B 1.5', use_fping: '0' }, "options '-B 1.5' go to iputils ping, not fping (use_fping is false)"],
  ])('validate-all with %j goes on as the stock agent does, with a warning: %s', async (params, warning) => {
    const r = await runAction(agent, 'validate-all', env(params));
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/WARNING: .*/);
    expect(r.stderr).toContain(warning);
  });

  it('stop with an invalid host_list exits 0', async () => {
    expect((await runAction(agent, 'stop', env({ host_list: '' }))).exitCode).toBe(0);
  });

  it('reload-agent to timeout=0 succeeds (a refusal would stop the clone on every node)', async () => {
    const r = await runAction(agent, 'reload-agent', env({ host_list: '192.0.2.1', timeout: '0' }));
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("WARNING: timeout '0' is 0: using 5 s");
  });

  it.each([
    ['attempts', '0'],
    ['dampen', '5x'],
  ])('reload-agent to a malformed %s=%s is 0 with a warning naming it (6 would stop the clone on every node)', async (param, value) => {
    const r = await runAction(agent, 'reload-agent', env({ host_list: '192.0.2.1', [param]: value }));
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`WARNING: parameter ${param}: .*; this reload-agent uses the default \\d+s? instead`));
  });

  it('advertises the stock parameter names and reload-agent, in meta-data valid for OCF 1.1', async () => {
    const r = await runAction(agent, 'meta-data', {});
    for (const name of ['name', 'multiplier', 'host_list', 'attempts', 'timeout', 'dampen', 'failure_score', 'options', 'debug'])
      expect(r.stdout).toContain(`<parameter name="${name}"`);
    expect(r.stdout).toContain('<resource-agent name="ping"');
    expect(r.stdout).toContain('<action name="reload-agent"');
    expect(() =>
      execFileSync('xmllint', ['--noout', '--nonet', '--relaxng', rng, '-'], { input: r.stdout, stdio: ['pipe', 'pipe', 'pipe'] }),
    ).not.toThrow();
  });
});

describe('options that depend on the node tool (validate-all at level 10)', () => {
  it.skipIf(!existsSync('/usr/bin/fping'))('refuses an option after which fping reports no per-host verdict with 2, not 6', async () => {
    const r = await runAction(agent, 'validate-all', { ...env({ host_list: '192.0.2.1', options: '-q' }), OCF_CHECK_LEVEL: '10' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('options: fping -q (quiet mode) leaves the agent no per-host answer to count');
    expect((await runAction(agent, 'validate-all', env({ host_list: '192.0.2.1', options: '-q' }))).exitCode).toBe(0);
  });

  it("refuses fping's -B 1.5 for iputils ping with 2, at validate-all level 10 and at start, before any state is made", async () => {
    const params = { host_list: '192.0.2.1', options: '-B 1.5', use_fping: '0' };
    const check = await runAction(agent, 'validate-all', { ...env(params), OCF_CHECK_LEVEL: '10' });
    expect(check.exitCode).toBe(2);
    expect(check.stderr).toContain("ocf-exit-reason:options: '1.5' after -B is not a ping option nor its value");
    const start = await runAction(agent, 'start', env(params));
    expect(start.exitCode).toBe(2);
    expect(existsSync(statePath)).toBe(false);
  });

  it('answers 2 when the state directory is not writable, as the stock agent', async () => {
    const notADirectory = join(rsctmp, 'a-file');
    writeFileSync(notADirectory, '');
    const r = await runAction(agent, 'validate-all', {
      ...env({ host_list: '192.0.2.1' }),
      HA_RSCTMP: join(notADirectory, 'sub'),
      OCF_CHECK_LEVEL: '10',
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`the state directory ${join(notADirectory, 'sub')} (HA_RSCTMP) is not writable on this node (ENOTDIR)`);
    expect((await runAction(agent, 'validate-all', { ...env({ host_list: '192.0.2.1' }), OCF_CHECK_LEVEL: '10' })).exitCode).toBe(0);
  });
});

const statePath = join(rsctmp, 'seapath-ping-ping-unit.json');

describe('stop and probe of a running resource whatever its parameters', () => {
  const running = (): void => writeFileSync(statePath, '{"unreachable":[]}\n');

  it.each([[{ host_list: ' ' }], [{ host_list: '192.0.2.1', options: '-q' }], [{ host_list: '192.0.2.1', timeout: 'x', dampen: 'soon' }]])(
    'stop with %j removes the state file and exits 0',
    async (params) => {
      running();
      const r = await runAction(agent, 'stop', env(params, { timeout: '4000' }));
      expect(r.exitCode).toBe(0);
      expect(existsSync(statePath)).toBe(false);
      expect(r.stderr).toContain('unsetting pingd with attrd_updater -D'); // attempted (no cluster here: best effort)
    },
  );

  it.each([
    [{ host_list: ' ' }, 'host_list is empty'],
    [{ host_list: '192.0.2.1', options: '-B 1.5', use_fping: '0' }, "options: '1.5' after -B is not a ping option"],
  ])(
    'a probe with %j while the state file exists exits 1 (running, failed), not 7, and keeps the state for stop',
    async (params, reason) => {
      running();
      const r = await runAction(agent, 'monitor', env(params, { interval: '0', timeout: '4000' }));
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(reason);
      expect(existsSync(statePath)).toBe(true);
      rmSync(statePath);
    },
  );
});
