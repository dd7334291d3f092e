// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { defineResourceAgent, Ocf, OcfError, runAction, type ResourceAgent } from '../../../../lib/ocf/index.js';
import { sleep } from '../../../../lib/time/index.js';
import { integer, string } from '../../../../lib/spec/index.js';
import { testAgent } from './test-agent.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const rsctmp = mkdtempSync(join(tmpdir(), 'dispatch-'));
const base = { OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: 't1', HA_RSCTMP: rsctmp };
const probe = { OCF_RESKEY_CRM_meta_interval: '0' };
const recurring = { OCF_RESKEY_CRM_meta_interval: '10000' };

function agentThrowing(code: (typeof Ocf)[keyof typeof Ocf], extra: Partial<ResourceAgent> = {}): ResourceAgent {
  const fail = async (): Promise<never> => {
    throw new OcfError(code, 'the thing is wrong');
  };
  return defineResourceAgent({
    ...testAgent,
    params: {},
    start: fail,
    stop: fail,
    monitor: fail,
    ...extra,
  });
}

const running = defineResourceAgent({
  ...testAgent,
  params: {
    name: string({ required: true, desc: 'A name.' }),
    count: integer({ default: 3, min: 1, desc: 'A count.' }),
  },
  requires: ['sh'],
  start: async (p, ctx) => ctx.state.save({ name: p.name, count: p.count }),
  stop: async (_p, ctx) => ctx.state.remove(),
  monitor: async (_p, ctx) => (ctx.state.exists() ? Ocf.SUCCESS : Ocf.NOT_RUNNING),
});

describe('action dispatch', () => {
  it.each([
    ['monitor', probe, 7],
    ['monitor', recurring, 1],
    ['start', {}, 5],
    ['stop', {}, 0],
    ['validate-all', {}, 0],
    ['validate-all', { OCF_CHECK_LEVEL: '10' }, 5],
  ])('%s %o with a missing tool exits %i', async (action, env, code) => {
    const agent = agentThrowing(Ocf.ERR_GENERIC, { requires: ['no-such-tool-anywhere'] });
    expect((await runAction(agent, action, { ...base, ...env })).exitCode).toBe(code);
  });

  it('checks the programs each action declares, first need first, naming what they are needed for', async () => {
    const agent = agentThrowing(Ocf.ERR_GENERIC, {
      requires: (_p, ctx) =>
        ctx.action === 'start'
          ? [
              { tools: ['sh'] },
              { tools: ['no-such-tool-a', 'sh', 'no-such-tool-b'], neededFor: 'to do the thing' },
              { tools: ['no-such-tool-c'] },
            ]
          : [],
      stop: async () => undefined,
    });
    const start = await runAction(agent, 'start', base);
    expect(start.exitCode).toBe(5);
    expect(start.stderr).toContain(
      'ocf-exit-reason:no-such-tool-a and no-such-tool-b are not installed on this node (needed to do the thing)\n',
    );
    expect((await runAction(agent, 'stop', base)).exitCode).toBe(0);
    const three = agentThrowing(Ocf.ERR_GENERIC, { requires: () => [{ tools: ['no-such-tool-a', 'no-such-tool-b', 'no-such-tool-c'] }] });
    expect((await runAction(three, 'start', base)).stderr).toContain(
      'ocf-exit-reason:no-such-tool-a, no-such-tool-b and no-such-tool-c are not installed on this node (needed by t)\n',
    );
  });

  it('resolves once per action, before validate, and hands the value to every hook', async () => {
    let resolved = 0;
    const seen: string[] = [];
    const agent = defineResourceAgent({
      ...testAgent,
      params: { name: string({ required: true, desc: 'A name.' }) },
      resolve: (p) => {
        resolved++;
        if (p.name === 'bad') throw new OcfError(Ocf.ERR_CONFIGURED, 'name cannot be bad');
        return { upper: p.name.toUpperCase() };
      },
      requires: (_p, ctx) => {
        seen.push(`requires ${ctx.resolved.upper}`);
        return [];
      },
      validate: (_p, ctx) => void seen.push(`validate ${ctx.resolved.upper}`),
      validateHost: async (_p, ctx) => void seen.push(`validateHost ${ctx.resolved.upper}`),
      start: async (_p, ctx) => void seen.push(`start ${ctx.resolved.upper}`),
      stop: async () => undefined,
      monitor: async () => Ocf.NOT_RUNNING,
    });
    expect((await runAction(agent, 'start', { ...base, OCF_RESKEY_name: 'x' })).exitCode).toBe(0);
    expect(resolved).toBe(1);
    expect(seen).toEqual(['validate X', 'requires X', 'validateHost X', 'start X']);
    const start = await runAction(agent, 'start', { ...base, OCF_RESKEY_name: 'bad' });
    expect(start.exitCode).toBe(6);
    expect(start.stderr).toContain('ocf-exit-reason:name cannot be bad\n');
    expect((await runAction(agent, 'monitor', { ...base, ...probe, OCF_RESKEY_name: 'bad' })).exitCode).toBe(7);
    expect((await runAction(agent, 'stop', { ...base, OCF_RESKEY_name: 'bad' })).exitCode).toBe(0);
  });

  it.each([
    [Ocf.ERR_CONFIGURED, 'stop', {}, 0],
    [Ocf.ERR_CONFIGURED, 'monitor', recurring, 1], // monitor never exits 6
    [Ocf.ERR_CONFIGURED, 'monitor', probe, 7],
    [Ocf.ERR_CONFIGURED, 'start', {}, 6],
    [Ocf.ERR_ARGS, 'start', {}, 2],
    [Ocf.ERR_ARGS, 'monitor', probe, 7],
    [Ocf.ERR_ARGS, 'stop', {}, 0],
    [Ocf.ERR_PERM, 'stop', {}, 4], // refused a privilege, the stop removed nothing: never "stopped"
    [Ocf.ERR_PERM, 'monitor', probe, 7],
    [Ocf.ERR_GENERIC, 'stop', {}, 1], // a real stop failure is reported: the node gets fenced
    [Ocf.ERR_GENERIC, 'monitor', probe, 1],
    [Ocf.NOT_RUNNING, 'monitor', recurring, 7],
    [Ocf.NOT_RUNNING, 'stop', {}, 0], // stop never exits 7
  ])('a handler throwing %i in %s %o exits %i', async (thrown, action, env, code) => {
    expect((await runAction(agentThrowing(thrown), action, { ...base, ...env })).exitCode).toBe(code);
  });

  it('writes the reason as the last ocf-exit-reason line', async () => {
    const r = await runAction(agentThrowing(Ocf.ERR_ARGS), 'start', base);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('ocf-exit-reason:the thing is wrong');
  });

  it('writes no exit reason for a probe that finds the resource stopped', async () => {
    const r = await runAction(running, 'monitor', { ...base, ...probe, OCF_RESOURCE_INSTANCE: 'p1', OCF_RESKEY_name: 'x' });
    expect(r.exitCode).toBe(7);
    expect(r.stderr).not.toContain('ocf-exit-reason:');
  });

  it.each(['promote', 'frobnicate', '', 'migrate_to', 'reload-agent', 'status'])(
    'unknown or unsupported action %j exits 3',
    async (action) => {
      expect((await runAction(running, action, base)).exitCode).toBe(3);
    },
  );

  it('an agent that lists status answers it with its monitor, as VirtualDomain and IPaddr2 do', async () => {
    const withStatus = defineResourceAgent({
      ...running,
      actions: { ...running.actions, status: { timeout: '20s', interval: '10s', depth: 0 } },
    });
    const env = { ...base, OCF_RESOURCE_INSTANCE: 'st', OCF_RESKEY_name: 'x' };
    expect((await runAction(withStatus, 'methods', {})).stdout.split('\n')).toContain('status');
    expect((await runAction(withStatus, 'meta-data', {})).stdout).toContain(
      '<action name="status" timeout="20s" interval="10s" depth="0"/>',
    );
    // by hand (no interval) a stopped resource is 7 with no exit reason, as a probe; recurring, with one
    const byHand = await runAction(withStatus, 'status', env);
    expect(byHand.exitCode).toBe(7);
    expect(byHand.stdout).toBe('stopped\n');
    expect(byHand.stderr).not.toContain('ocf-exit-reason:');
    expect((await runAction(withStatus, 'status', { ...env, ...recurring })).stderr).toContain('ocf-exit-reason:t st is not running');
    expect((await runAction(withStatus, 'start', env)).exitCode).toBe(0);
    const up = await runAction(withStatus, 'status', env);
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toBe('running\n');
    expect((await runAction(withStatus, 'status', { ...env, ...recurring })).exitCode).toBe(0);
    // an unusable configuration: 7 by hand (nothing can run), 1 when recurring, never 6
    const unusable = agentThrowing(Ocf.ERR_CONFIGURED, { actions: withStatus.actions });
    const cannotLook = await runAction(unusable, 'status', base);
    expect(cannotLook.exitCode).toBe(7);
    expect(cannotLook.stdout).toBe(''); // not "stopped": it could not tell
    const missingTool = agentThrowing(Ocf.ERR_GENERIC, { actions: withStatus.actions, requires: ['no-such-tool-anywhere'] });
    expect(await runAction(missingTool, 'status', base)).toMatchObject({ exitCode: 7, stdout: '' });
    expect((await runAction(unusable, 'status', { ...base, ...recurring })).exitCode).toBe(1);
    expect((await runAction(running, 'methods', {})).stdout.split('\n')).not.toContain('status');
  });

  it('meta-data and usage work with no environment at all', async () => {
    const md = await runAction(running, 'meta-data', {});
    expect(md.exitCode).toBe(0);
    expect(md.stdout).toContain('<resource-agent name="t"');
    expect((await runAction(running, 'usage', {})).exitCode).toBe(0);
  });

  it('a missing required parameter exits 6 for start and 0 for stop', async () => {
    const start = await runAction(running, 'start', base);
    expect(start.exitCode).toBe(6);
    expect(start.stderr).toContain('ocf-exit-reason:required parameter name is not set');
    expect((await runAction(running, 'stop', base)).exitCode).toBe(0);
  });

  it('a malformed setting does not keep stop and monitor from looking at the resource', async () => {
    const env = { ...base, OCF_RESOURCE_INSTANCE: 'lenient', OCF_RESKEY_name: 'a' };
    const bad = { ...env, OCF_RESKEY_count: 'lots' };
    expect((await runAction(running, 'start', env)).exitCode).toBe(0);
    expect((await runAction(running, 'monitor', { ...bad, ...probe })).exitCode).toBe(0);
    const monitor = await runAction(running, 'monitor', { ...bad, ...recurring });
    expect(monitor.exitCode).toBe(0);
    expect(monitor.stderr).toContain("parameter count: expected an integer, got 'lots'; this monitor uses the default 3 instead");
    expect((await runAction(running, 'stop', bad)).exitCode).toBe(0);
    expect((await runAction(running, 'monitor', { ...env, ...probe })).exitCode).toBe(7); // the stop ran: state gone
    expect((await runAction(running, 'start', bad)).exitCode).toBe(6);
  });

  it('a malformed integer exits 6 naming the parameter', async () => {
    const r = await runAction(running, 'start', { ...base, OCF_RESKEY_name: 'a', OCF_RESKEY_count: 'lots' });
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain("parameter count: expected an integer, got 'lots'");
  });

  it('start, monitor, stop, monitor go through the state file', async () => {
    const env = { ...base, OCF_RESOURCE_INSTANCE: 'cycle', OCF_RESKEY_name: 'x', ...recurring };
    expect((await runAction(running, 'monitor', env)).exitCode).toBe(7);
    expect((await runAction(running, 'start', env)).exitCode).toBe(0);
    expect((await runAction(running, 'monitor', env)).exitCode).toBe(0);
    expect((await runAction(running, 'stop', env)).exitCode).toBe(0);
    expect((await runAction(running, 'monitor', env)).exitCode).toBe(7);
  });

  it('answers before the operation timeout when a handler hangs', async () => {
    const hanging = agentThrowing(Ocf.ERR_GENERIC, { start: () => sleep(60_000) });
    const began = Date.now();
    const r = await runAction(hanging, 'start', { ...base, OCF_RESKEY_CRM_meta_timeout: '2000' });
    expect(r.exitCode).toBe(1);
    expect(Date.now() - began).toBeLessThan(2000);
    expect(r.stderr).toContain('ocf-exit-reason:start did not finish within its 2 s timeout\n');
    const short = await runAction(hanging, 'start', { ...base, OCF_RESKEY_CRM_meta_timeout: '1400' });
    expect(short.stderr).toContain('ocf-exit-reason:start did not finish within its 1.4 s timeout\n');
  });

  it("counts the time spent before the call (the executable's start) against the timeout", async () => {
    const hanging = agentThrowing(Ocf.ERR_GENERIC, { start: () => sleep(60_000) });
    const began = Date.now();
    // a 2 s timeout keeps 1.5 s for itself; 1.2 s of them went on starting the process
    const r = await runAction(hanging, 'start', { ...base, OCF_RESKEY_CRM_meta_timeout: '2000' }, undefined, 1200);
    expect(r.exitCode).toBe(1);
    expect(Date.now() - began).toBeLessThan(800);
  });
});

describe('parameters the agent does not declare', () => {
  it('are named in a warning at start and validate-all, never silently ignored', async () => {
    const env = {
      ...base,
      OCF_RESOURCE_INSTANCE: 'undeclared',
      OCF_RESKEY_name: 'x',
      OCF_RESKEY_colour: 'blue',
      OCF_RESKEY_CRM_meta_timeout: '20000',
      OCF_RESKEY_crm_feature_set: '3.16.1',
    };
    for (const action of ['validate-all', 'start']) {
      const r = await runAction(running, action, env);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toContain('WARNING: parameter colour is not a parameter of t: ignored');
      expect(r.stderr).not.toContain('CRM_meta_timeout is not');
      expect(r.stderr).not.toContain('crm_feature_set');
    }
    await runAction(running, 'stop', env);
  });
});
