// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { query, run } from '../../../../lib/exec/index.js';
import { defineResourceAgent, Ocf, runAction, type ResourceAgent, type ResourceContext } from '../../../../lib/ocf/index.js';
import { sleep } from '../../../../lib/time/index.js';
import { testAgent } from './test-agent.js';

const base = { OCF_RESOURCE_INSTANCE: 'b1', HA_RSCTMP: mkdtempSync(join(tmpdir(), 'best-effort-')) };

function agentStopping(stop: (ctx: ResourceContext) => Promise<void>): ResourceAgent {
  return defineResourceAgent({
    ...testAgent,
    params: {},
    start: async () => undefined,
    stop: (_p, ctx) => stop(ctx),
    monitor: async () => Ocf.SUCCESS,
  }) as ResourceAgent;
}

describe('best-effort steps', () => {
  it('a step that hangs past its sub-deadline (honouring it) is logged and the stop succeeds', async () => {
    let ended = 0;
    const agent = agentStopping(async (ctx) => {
      await ctx.bestEffort('unset the attribute', (d) => query(['sleep', '30'], { deadline: d }));
      ended = ctx.deadline.remainingMs();
    });
    const r = await runAction(agent, 'stop', { ...base, OCF_RESKEY_CRM_meta_timeout: '3000' });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('WARNING: unset the attribute (best effort) did not complete');
    expect(ended).toBeGreaterThan(0); // the step ended before the backstop
  });

  it('a step that ignores its deadline does not turn a done stop into a failure', async () => {
    const agent = agentStopping(async (ctx) => {
      await ctx.bestEffort('undefine the domain', () => new Promise<void>(() => undefined));
    });
    const r = await runAction(agent, 'stop', { ...base, OCF_RESKEY_CRM_meta_timeout: '2000' });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('undefine the domain (best effort) was still running at the end of the stop budget');
    expect(r.stderr).not.toContain('ocf-exit-reason');
  });

  it('a clean-up on a failing path (settled: false) that ignores its deadline is a failure at the backstop, not a success', async () => {
    const agent = agentStopping(async (ctx) => {
      await ctx.bestEffort('set the link down again', () => new Promise<void>(() => undefined), { settled: false });
      throw new Error('never reached');
    });
    const r = await runAction(agent, 'stop', { ...base, OCF_RESKEY_CRM_meta_timeout: '2000' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('ocf-exit-reason:stop did not finish within its 2 s timeout\n');
  });

  it('work that is not best effort still fails at the backstop', async () => {
    const agent = agentStopping(async (ctx) => {
      await ctx.bestEffort('a quick step', async () => 'done');
      await new Promise<void>(() => undefined); // the essential work hangs after it
    });
    const r = await runAction(agent, 'stop', { ...base, OCF_RESKEY_CRM_meta_timeout: '2000' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('ocf-exit-reason:stop did not finish within its 2 s timeout\n');
  });

  it('returns what the step returned', async () => {
    let got: string | undefined;
    const agent = agentStopping(async (ctx) => {
      got = await ctx.bestEffort('echo', async (d) => (await run(['echo', 'hi'], { deadline: d })).stdout.trim());
    });
    expect((await runAction(agent, 'stop', base)).exitCode).toBe(0);
    expect(got).toBe('hi');
  });
});

describe('the kit around handlers', () => {
  it.each(['99999999999999', '4294967296', '2147483648', '1e400'])(
    'a meta timeout of %s ms is clamped, not an instant deadline',
    async (timeout) => {
      let left = 0;
      const agent = agentStopping(async (ctx) => {
        await sleep(50, ctx.deadline);
        left = ctx.deadline.remainingMs();
        await run(['true'], { deadline: ctx.deadline });
      });
      const r = await runAction(agent, 'stop', { ...base, OCF_RESKEY_CRM_meta_timeout: timeout });
      expect(r.exitCode).toBe(0);
      expect(left).toBeGreaterThan(60_000);
    },
  );

  it('a stop that cannot run its tool after validation exits 5', async () => {
    const agent = agentStopping(async (ctx) => {
      await run(['no-such-tool-at-all'], { deadline: ctx.deadline });
    });
    const r = await runAction(agent, 'stop', base);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toContain('ocf-exit-reason:no-such-tool-at-all is not installed');
  });
});
