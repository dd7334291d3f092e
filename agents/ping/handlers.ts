// SPDX-License-Identifier: Apache-2.0
import { clearNodeAttribute, setNodeAttribute } from '../../lib/cluster/index.js';
import { ExecFailed } from '../../lib/exec/index.js';
import { Ocf, OcfError, type MonitorResult, type ResourceContext } from '../../lib/ocf/index.js';
import { isRecord, isString, messageOf } from '../../lib/unknown/index.js';
import { parseHostList, type Target } from './host-list.js';
import { probeTargets } from './probe.js';
import { connectivityScore, describeUnreachable, effectiveFailureScore, isBelowFailureScore, type Verdict } from './score.js';
import { debugLevel, splitOptions, useFping } from './settings.js';
import type { PingParams } from './spec.js';
import { configuredTimeoutMs, planProbe, stockDefaultTimeoutMs } from './timing.js';

/** What start leaves for monitor: the entries found unreachable last time, so only changes are logged. */
interface PingState {
  readonly unreachable: readonly string[];
}

function isPingState(value: unknown): value is PingState {
  return isRecord(value) && Array.isArray(value.unreachable) && value.unreachable.every(isString);
}

/** Probes, publishes the score, and creates the state file that makes monitor answer "running". */
export async function start(p: PingParams, ctx: ResourceContext): Promise<void> {
  if (!ctx.state.exists()) ctx.state.save({ unreachable: [] } satisfies PingState);
  await measureAndPublish(p, ctx, ctx.state.load(isPingState));
}

/**
 * Removes the state file and unsets the attribute; stopping a stopped resource is a success.
 * As in the stock agent, stop does not fail on attrd (a failed stop gets the node fenced): the
 * unset is best effort, and a value left behind is replaced at the next start on this node.
 */
export async function stop(p: PingParams, ctx: ResourceContext): Promise<void> {
  ctx.state.remove();
  await ctx.bestEffort(`unsetting ${p.name} with attrd_updater -D`, (deadline) => clearNodeAttribute(p.name, p.dampen, { deadline }));
}

/**
 * Running while the state file exists: probes and publishes every time, like the stock agent. A
 * configuration or tool that cannot measure is then a failure of a running resource (1), never
 * "not running" (a probe would leave the state and the attribute behind) nor a cluster-wide 6.
 */
export async function monitor(p: PingParams, ctx: ResourceContext): Promise<MonitorResult> {
  if (!ctx.state.exists()) return Ocf.NOT_RUNNING;
  try {
    await measureAndPublish(p, ctx, ctx.state.load(isPingState));
  } catch (e) {
    if (e instanceof OcfError && e.code === Ocf.ERR_GENERIC) throw e;
    throw new OcfError(Ocf.ERR_GENERIC, e instanceof OcfError ? e.reason : messageOf(e));
  }
  return Ocf.SUCCESS;
}

async function measureAndPublish(p: PingParams, ctx: ResourceContext, state: PingState | undefined): Promise<void> {
  const debug = debugLevel(p.debug, ctx.log);
  const targets = parseHostList(p.host_list);
  const plan = planProbe(timeoutMs(p, targets, ctx), p.attempts, ctx.deadline.remainingMs());
  const configured = p.timeout?.ms !== undefined ? `${p.timeout.ms} ms` : '(computed)';
  if (plan.shortened) ctx.log.warn(`timeout ${configured} does not fit in the ${ctx.action} budget: hosts get ${plan.waitMs} ms`);
  const { verdicts, icmpOutput, droppedOptions } = await probeTargets(
    targets,
    plan,
    { useFping: useFping(p), options: splitOptions(p) },
    ctx.deadline.leaving(plan.publishReserveMs),
  );
  if (droppedOptions.length > 0 && (ctx.action !== 'monitor' || ctx.isProbe))
    ctx.log.warn(
      `options ${droppedOptions.join(', ')}: not passed to fping, which must name hosts as host_list does; the score is the same`,
    );
  if (debug >= 2 && icmpOutput !== '') ctx.log.info(icmpOutput.trim());
  if (debug >= 1) for (const v of verdicts) if (!v.reachable) ctx.log.warn(`${v.entry} is inactive: ${v.detail}`);

  const score = connectivityScore(verdicts, p.multiplier);
  try {
    // Over a little before the backstop, so that a hung attrd is named in the exit reason.
    const publishDeadline = ctx.deadline.leaving(Math.min(500, ctx.deadline.remainingMs() / 4));
    await setNodeAttribute(p.name, String(score), p.dampen, { deadline: publishDeadline });
  } catch (e) {
    if (e instanceof ExecFailed && e.notFound)
      throw new OcfError(Ocf.ERR_INSTALLED, 'attrd_updater is not installed on this node (pacemaker-cli-utils)');
    throw new OcfError(Ocf.ERR_GENERIC, `could not set ${p.name}=${score} with attrd_updater: ${messageOf(e)}`);
  }
  ctx.log.debug(`updated ${p.name} = ${score}`);
  noteChanges(verdicts, state, ctx);

  if (isBelowFailureScore(score, p.failure_score))
    throw new OcfError(
      Ocf.ERR_GENERIC,
      `${p.name}=${score} is less than failure_score ${effectiveFailureScore(p.failure_score)}; ` +
        `unreachable: ${describeUnreachable(verdicts) || 'none'}`,
    );
}

// Logged once per change rather than on every monitor; the state file is rewritten only then.
function noteChanges(verdicts: readonly Verdict[], state: PingState | undefined, ctx: ResourceContext): void {
  const unreachable = verdicts.filter((v) => !v.reachable).map((v) => v.entry);
  const before = new Set(state?.unreachable ?? []);
  const lost = verdicts.filter((v) => !v.reachable && !before.has(v.entry));
  const back = [...before].filter((e) => !unreachable.includes(e));
  if (lost.length === 0 && back.length === 0) return;
  if (lost.length > 0) ctx.log.warn(`lost: ${describeUnreachable(lost)}`);
  if (back.length > 0) ctx.log.info(`reachable again: ${back.join(', ')}`);
  // Only what gets logged depends on it: the score is published, and a full /run must not fail the monitor.
  try {
    ctx.state.save({ unreachable } satisfies PingState);
  } catch (e) {
    ctx.log.warn(`cannot record the hosts found unreachable (${messageOf(e)}): the next monitor logs the same changes again`);
  }
}

// The timeout parameter, or the stock agent's formula from the operation timeout when unset.
function timeoutMs(p: PingParams, targets: readonly Target[], ctx: ResourceContext): number {
  if (p.timeout?.ms !== undefined) return configuredTimeoutMs(p.timeout.ms);
  const operationMs = ctx.meta.timeout !== undefined ? Number(ctx.meta.timeout) || undefined : undefined;
  return stockDefaultTimeoutMs(operationMs, targets.length, p.attempts);
}
