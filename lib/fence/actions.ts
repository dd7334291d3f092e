// SPDX-License-Identifier: Apache-2.0
import type { Io } from '../log/logger.js';
import { Deadline } from '../time/index.js';
import type { FenceAgent, FenceContext } from './define.js';
import { FenceExit } from './exit-codes.js';
import { reasonOf } from './fence-error.js';
import type { FenceOptionsOf, FenceOptionsSpec } from './option-spec.js';
import { listLines, statusLine } from './output.js';
import { powerPhaseDeadline, rebootOnPhaseMs, setPowerAndWait, type PowerTiming } from './power-loop.js';
import type { FenceAction, StandardOptions } from './standard-options.js';

/** The standard options, which are all the kit reads. */
export type KitOptions = FenceOptionsOf<StandardOptions>;

/**
 * One device action after the options are checked and the agent connected: what fencing.py's
 * fence_action does. Returns the exit code; throws on failure (the caller prints "Failed: …").
 */
export async function runDeviceAction<C>(
  agent: FenceAgent<FenceOptionsSpec, C>,
  c: C,
  action: FenceAction,
  plugs: readonly string[],
  o: KitOptions,
  timing: PowerTiming,
  ctx: FenceContext,
  io: Io,
): Promise<number> {
  switch (action) {
    case 'monitor':
      await agent.monitor(c, ctx);
      return FenceExit.SUCCESS;
    case 'list':
    case 'list-status':
      io.out(listLines(await agent.list(c, ctx), o.separator || ',', action === 'list-status'));
      return FenceExit.SUCCESS;
    case 'status': {
      const powers = [];
      for (const plug of plugs) powers.push(await agent.getPower(c, plug, ctx));
      const on = powers.includes('on');
      io.out(statusLine(on ? 'on' : 'off'));
      return on ? FenceExit.SUCCESS : FenceExit.OFF;
    }
    case 'off': {
      const r = await setPowerAndWait(agent, c, plugs, 'off', timing, ctx);
      io.out(r === 'already' ? 'Success: Already OFF\n' : 'Success: Powered OFF\n');
      return FenceExit.SUCCESS;
    }
    case 'on': {
      // fencing.py: 1 + retry_on attempts, each one asking again and polling for power_timeout.
      const nextPhase = (): Deadline => powerPhaseDeadline(timing);
      const r = await powerOnWithRetries(agent, c, plugs, 1 + o.retry_on, timing, ctx, nextPhase);
      io.out(r === 'already' ? 'Success: Already ON\n' : 'Success: Powered ON\n');
      return FenceExit.SUCCESS;
    }
    case 'reboot': {
      await setPowerAndWait(agent, c, plugs, 'off', timing, ctx);
      // As fencing.py: the node is fenced once it is off; power-on is best effort, with
      // retry_on attempts (none with retry_on=0: the node stays off). Unlike fencing.py under
      // Pacemaker, its wait is bounded (power_wait, then what is left of the action's
      // power_timeout, 5 to 15 s): a slow boot must not make Pacemaker kill, and then retry, a
      // reboot whose off was confirmed.
      if (o.retry_on === 0) {
        ctx.log.info(`${plugs.join(', ')} is off (fenced); not powering on: retry_on=0`);
        io.out('Success: Rebooted\n');
        return FenceExit.SUCCESS;
      }
      const pollMs = Math.min(rebootOnPhaseMs.max, Math.max(rebootOnPhaseMs.min, ctx.deadline.remainingMs()));
      const onPhase = Deadline.after(Math.round(timing.powerWaitS * 1000) + pollMs);
      try {
        await powerOnWithRetries(agent, c, plugs, o.retry_on, timing, { ...ctx, deadline: onPhase }, () => onPhase);
      } catch (e) {
        ctx.log.warn(`${plugs.join(', ')} is off (fenced); power-on is still pending: ${reasonOf(e)}`);
      }
      io.out('Success: Rebooted\n');
      return FenceExit.SUCCESS;
    }
    default:
      return FenceExit.FAILED;
  }
}

async function powerOnWithRetries<C>(
  agent: FenceAgent<FenceOptionsSpec, C>,
  c: C,
  plugs: readonly string[],
  attempts: number,
  timing: PowerTiming,
  firstCtx: FenceContext,
  nextPhase: () => Deadline,
): Promise<'already' | 'done'> {
  let ctx = firstCtx;
  for (let attempt = 1; ; attempt++) {
    try {
      // Within a reboot the attempts share the bounded phase; on gives each power_wait + power_timeout.
      return await setPowerAndWait(agent, c, plugs, 'on', timing, ctx);
    } catch (e) {
      if (attempt >= attempts) throw e;
      ctx = { ...firstCtx, deadline: nextPhase() };
      if (ctx.deadline.isExpired()) throw e;
      ctx.log.warn(`power on attempt ${attempt} of ${attempts} failed: ${reasonOf(e)}`);
    }
  }
}
