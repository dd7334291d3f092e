// SPDX-License-Identifier: Apache-2.0
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
    [{ host_list: '192.0.2.1', timeout: 'one' }, 'parameter timeout: expected a duration'],
    [{ host_list: '192.0.2.1', timeout: '0' }, 'parameter timeout: must be longer than 0'],
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

  it('a probe with an empty host_list exits 7, a recurring monitor 1, never 6', async () => {
    expect((await runAction(agent, 'monitor', env({ host_list: ' ' }, { interval: '0' }))).exitCode).toBe(7);
    expect((await runAction(agent, 'monitor', env({ host_list: ' ' }, { interval: '10000' }))).exitCode).toBe(1);
  });

  it.each([
    [{ host_list: '192.0.2.1,192.0.2.2' }, 'separates hosts with commas'],
    [{ host_list: '192.0.2.1 192.0.2.256' }, "'192.0.2.256' is not a valid IPv4 address: it counts as unreachable"],
    [{ host_list: '192.0.2.1', use_fping: '2' }, "use_fping '2' is neither true nor false; read as false"],
    [{ host_list: '192.0.2.1', pidfile: '/var/run/ping-x' }, "pidfile '/var/run/ping-x' is ignored"],
  ])('validate-all with %j goes on as the stock agent does, with a warning: %s', async (params, warning) => {
    const r = await runAction(agent, 'validate-all', env(params));
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/WARNING: .*/);
    expect(r.stderr).toContain(warning);
  });

  it('stop with an invalid host_list exits 0', async () => {
    expect((await runAction(agent, 'stop', env({ host_list: '' }))).exitCode).toBe(0);
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

describe('fping options in validate-all', () => {
  it.skipIf(!existsSync('/usr/bin/fping'))('refuses an option after which fping reports no per-host verdict with 6', async () => {
    const r = await runAction(agent, 'validate-all', env({ host_list: '192.0.2.1', options: '-q' }));
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain('options: fping -q (quiet mode) leaves the agent no per-host answer to count');
  });
});
