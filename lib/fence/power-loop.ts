// SPDX-License-Identifier: Apache-2.0
import { Deadline, sleep } from '../time/index.js';
import type { FenceAgent, FenceContext, Power } from './define.js';
import { FenceError } from './fence-error.js';
import type { FenceOptionsSpec } from './option-spec.js';
import { messageOf } from '../unknown/index.js';
import { parseBoolean } from '../spec/values.js';

/**
 * "Poll until killed", as a finite bound so timers stay valid. Only an explicit
 * disable_timeout=true or power_timeout=0 asks for it. fencing.py also turns it on by itself
 * under pacemaker-fenced; we do not: a device that never reaches the state would then be
 * SIGKILLed at pcmk_<action>_timeout with no reason given, and the fencer would retry blind.
 * With power_timeout honoured the agent says "Timed out waiting to power OFF" first.
 */
export const untilKilledMs = 24 * 3600 * 1000;

/**
 * The whole budget of monitor, list, list-status, status and validate-all, whatever
 * shell_timeout and api_retries say: these run under Pacemaker's default 20 s operation
 * timeout, and an agent killed at it leaves no reason. 15 s leaves room for the process start.
 */
export const queryBudgetMs = 15_000;

/** reboot's power-on phase after power_wait: what is left of power_timeout, within these bounds (see runDeviceAction). */
export const rebootOnPhaseMs = { min: 5_000, max: 15_000 } as const;

/** Whether on/off poll until Pacemaker kills the agent: only when the admin asks (disable_timeout=true). */
export function isTimeoutDisabled(disableTimeout: string | undefined): boolean {
  if (disableTimeout === undefined) return false;
  const parsed = parseBoolean(disableTimeout);
  return 'value' in parsed && parsed.value;
}

/**
 * The budget of one power phase (off, or on): power_wait, then power_timeout seconds of polls, as
 * fencing.py counts them (its power_timeout starts after the power_wait sleep); 0 or
 * disable_timeout means until killed.
 */
export function powerPhaseDeadline(timing: PowerTiming): Deadline {
  if (timing.timeoutDisabled || timing.powerTimeoutS <= 0) return Deadline.after(untilKilledMs);
  return Deadline.after(Math.round((timing.powerWaitS + timing.powerTimeoutS) * 1000));
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
 * Turns every plug to `target` and waits until the device reports it, within the phase budget
 * of `ctx`. Returns 'already' when the first read found every plug at the target and the device
 * did not say otherwise. An agent with `alwaysSendOff` gets the off request for every plug
 * anyway: one read is not proof that a node is down. A plug the device said was not at the
 * target before the request needs more than one read to be confirmed (see isConfirmed).
 * Throws FenceError "Timed out waiting to power OFF": Pacemaker greps stderr for "timed out".
 */
export async function setPowerAndWait<C>(
  agent: FenceAgent<FenceOptionsSpec, C>,
  c: C,
  plugs: readonly string[],
  target: Power,
  timing: PowerTiming,
  phaseCtx: FenceContext,
): Promise<'already' | 'done'> {
  const ctx: FenceContext = { ...phaseCtx, awaiting: target };
  const pending: string[] = [];
  for (const plug of plugs) if ((await agent.getPower(c, plug, ctx)) !== target) pending.push(plug);
  let already = pending.length === 0;
  if (target === 'off' && agent.alwaysSendOff) pending.splice(0, pending.length, ...plugs);
  if (pending.length === 0) return 'already';

  if (target === 'off') await agent.beforeFencing?.(c, pending, ctx);
  const reads = new Map<string, PlugReads>();
  for (const plug of pending) {
    ctx.log.info(`powering ${target.toUpperCase()} ${plug}`);
    const answer = await agent.setPower(c, plug, target, ctx);
    if (answer?.wasAtTarget === false) {
      already = false;
      reads.set(plug, { atTargetInARow: 0, sawOldState: false });
    }
  }
  await sleep(timing.powerWaitS * 1000, ctx.deadline);

  const everyMs = Math.max(100, Math.round(timing.statusSleepS * 1000));
  let lastError: unknown;
  for (;;) {
    for (const plug of [...pending]) {
      try {
        const atTarget = (await agent.getPower(c, plug, ctx)) === target;
        lastError = undefined;
        if (isConfirmed(reads.get(plug), atTarget)) pending.splice(pending.indexOf(plug), 1);
        else if (atTarget)
          ctx.log.debug(`${plug} reads ${target.toUpperCase()} right after the device said it was not: reading again to confirm`);
      } catch (e) {
        if (!isTransient(e) && !ctx.deadline.isExpired()) throw e;
        lastError = e;
        ctx.log.warn(`could not read the power of ${plug}, polling on: ${messageOf(e)}`);
      }
    }
    if (pending.length === 0) return already ? 'already' : 'done';
    // Stop while one more poll would not fit, so the last check runs with budget left.
    if (ctx.deadline.remainingMs() < everyMs) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new FenceError(`Timed out waiting to power ${target.toUpperCase()} ${pending.join(', ')}${why}`);
    }
    await sleep(everyMs, ctx.deadline);
  }
}

/** What the polls saw of a plug the device said was not at the target before the request. */
interface PlugReads {
  atTargetInARow: number;
  sawOldState: boolean;
}

/**
 * Whether this read confirms the plug. Without a device answer, one read does. Otherwise a
 * read at the target confirms once the old state was seen after the request (the change
 * happened), or on the second read in a row (a poll apart): a stale cache that keeps
 * answering the target for longer than that cannot be told apart, and docs/fence_outscale.md says so.
 */
function isConfirmed(seen: PlugReads | undefined, atTarget: boolean): boolean {
  if (seen === undefined) return atTarget;
  if (!atTarget) {
    seen.atTargetInARow = 0;
    seen.sawOldState = true;
    return false;
  }
  seen.atTargetInARow++;
  return seen.sawOldState || seen.atTargetInARow >= 2;
}
