// SPDX-License-Identifier: Apache-2.0
import { Deadline } from '../ocf/deadline.js';
import { sleep } from '../ocf/wait.js';
import type { FenceAgent, FenceContext, Power } from './define.js';
import { FenceError } from './fence-error.js';
import type { FenceOptionsSpec } from './option-spec.js';

/**
 * "Poll until killed", chosen once, here. Under pacemaker-fenced (or with disable_timeout=true)
 * fencing.py sets power_timeout to 0 and polls forever: Pacemaker owns the time limit and
 * SIGKILLs the agent at pcmk_<action>_timeout. We do the same, with a finite bound so timers
 * stay valid; each device call still has its own short timeout, so a stuck call never eats the
 * fencer's budget and its retries.
 */
export const untilKilledMs = 24 * 3600 * 1000;

const trueWords = new Set(['1', 'yes', 'on', 'true', 'y']);

/** Whether on/off poll until Pacemaker kills the agent instead of stopping at power_timeout. */
export function isTimeoutDisabled(disableTimeout: string | undefined, underFencer: boolean): boolean {
  if (disableTimeout === undefined || disableTimeout.trim() === '') return underFencer;
  return trueWords.has(disableTimeout.trim().toLowerCase());
}

/** The budget of one power phase (off, or on): power_timeout seconds, or until killed. */
export function powerPhaseDeadline(powerTimeoutS: number, timeoutDisabled: boolean): Deadline {
  return Deadline.after(timeoutDisabled ? untilKilledMs : Math.round(powerTimeoutS * 1000));
}

/** What a power phase needs from the options. */
export interface PowerTiming {
  readonly powerTimeoutS: number;
  readonly powerWaitS: number;
  readonly statusSleepS: number;
  readonly timeoutDisabled: boolean;
}

/** Whether an error says "try again later" (a throttled or unreachable device), not "this is wrong". */
export function isTransient(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { transient?: unknown }).transient === true;
}

/**
 * Turns every plug to `target` and waits until the device reports it, within one phase budget.
 * Returns 'already' when nothing had to change. Throws FenceError "Timed out waiting to power
 * OFF": Pacemaker greps stderr for "timed out".
 */
export async function setPowerAndWait<C>(
  agent: FenceAgent<FenceOptionsSpec, C>,
  c: C,
  plugs: readonly string[],
  target: Power,
  timing: PowerTiming,
  baseCtx: FenceContext,
): Promise<'already' | 'done'> {
  const ctx: FenceContext = { ...baseCtx, deadline: powerPhaseDeadline(timing.powerTimeoutS, timing.timeoutDisabled) };
  const pending: string[] = [];
  for (const plug of plugs) if ((await agent.getPower(c, plug, ctx)) !== target) pending.push(plug);
  if (pending.length === 0) return 'already';

  if (target === 'off') await agent.beforeFencing?.(c, pending, ctx);
  for (const plug of pending) {
    ctx.log.info(`powering ${target.toUpperCase()} ${plug}`);
    await agent.setPower(c, plug, target, ctx);
  }
  await sleep(timing.powerWaitS * 1000, ctx.deadline);
  const pollCtx: FenceContext = { ...ctx, awaiting: target };

  const everyMs = Math.max(100, Math.round(timing.statusSleepS * 1000));
  let lastError: unknown;
  for (;;) {
    for (const plug of [...pending]) {
      try {
        if ((await agent.getPower(c, plug, pollCtx)) === target) pending.splice(pending.indexOf(plug), 1);
        lastError = undefined;
      } catch (e) {
        if (!isTransient(e) && !ctx.deadline.isExpired()) throw e;
        lastError = e;
        ctx.log.warn(`could not read the power of ${plug}, polling on: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (pending.length === 0) return 'done';
    // Stop while one more poll would not fit, so the last check runs with budget left.
    if (ctx.deadline.remainingMs() < everyMs) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new FenceError(`Timed out waiting to power ${target.toUpperCase()} ${pending.join(', ')}${why}`);
    }
    await sleep(everyMs, ctx.deadline);
  }
}
