// SPDX-License-Identifier: Apache-2.0
import { clearNodeAttribute, setNodeAttribute } from '../../lib/cluster/index.js';
import { ExecFailed, which } from '../../lib/exec/index.js';
import { Ocf, OcfError, type MonitorResult, type ResourceContext } from '../../lib/ocf/index.js';
import type { Logger } from '../../lib/log/index.js';
import { ocfIsTrue } from '../../lib/spec/index.js';
import { sortFpingOptions } from './fping-options.js';
import { hostListWarnings, icmpHosts, parseHostList, type Target } from './host-list.js';
import { probeTargets } from './probe.js';
import { connectivityScore, describeUnreachable, isBelowFailureScore, type Verdict } from './score.js';
import type { PingParams } from './spec.js';
import { configuredTimeoutMs, planProbe, stockDefaultTimeoutMs } from './timing.js';

/** What start leaves for monitor: the entries found unreachable last time, so only changes are logged. */
interface PingState {
  readonly unreachable: readonly string[];
}

/**
 * Consistency of the parameters alone (every action): an empty host_list is wrong on every node
 * (6). What the stock agent survives (commas, a malformed entry, use_fping=2, a pidfile) is
 * warned about, outside recurring monitors, and the agent goes on.
 */
export function validate(p: PingParams, ctx: ResourceContext): void {
  const targets = parseHostList(p.host_list);
  // Options after which fping reports no per-host verdict are wrong wherever fping runs (6).
  if (icmpHosts(targets).length > 0 && useFping(p) && which('fping') !== undefined) sortFpingOptions(splitOptions(p));
  if (ctx.action === 'monitor' && !ctx.isProbe) return;
  for (const w of hostListWarnings(p.host_list, targets)) ctx.log.warn(w);
  useFping(p, ctx.log);
  if (p.pidfile !== undefined)
    ctx.log.warn(`pidfile '${p.pidfile}' is ignored: this agent keeps its state file under HA_RSCTMP, named after the resource instance`);
}

/** Probes, publishes the score, and creates the state file that makes monitor answer "running". */
export async function start(p: PingParams, ctx: ResourceContext): Promise<void> {
  if (!ctx.state.exists()) ctx.state.save({ unreachable: [] } satisfies PingState);
  await measureAndPublish(p, ctx, ctx.state.load<PingState>());
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

/** Running while the state file exists: probes and publishes every time, like the stock agent. */
export async function monitor(p: PingParams, ctx: ResourceContext): Promise<MonitorResult> {
  const state = ctx.state.load<PingState>();
  if (state === undefined) return Ocf.NOT_RUNNING;
  await measureAndPublish(p, ctx, state);
  return Ocf.SUCCESS;
}

async function measureAndPublish(p: PingParams, ctx: ResourceContext, state: PingState | undefined): Promise<void> {
  const debug = debugLevel(p.debug, ctx.log);
  const targets = parseHostList(p.host_list);
  const plan = planProbe(timeoutMs(p, targets, ctx), p.attempts, ctx.deadline.remainingMs());
  const configured = p.timeout !== undefined ? `${p.timeout} ms` : '(computed)';
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
    await setNodeAttribute(p.name, String(score), p.dampen, { deadline: ctx.deadline });
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
      `${p.name}=${score} is less than failure_score ${p.failure_score}; unreachable: ${describeUnreachable(verdicts)}`,
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
  ctx.state.save({ unreachable } satisfies PingState);
}

// The timeout parameter, or the stock agent's formula from the operation timeout when unset.
function timeoutMs(p: PingParams, targets: readonly Target[], ctx: ResourceContext): number {
  if (p.timeout !== undefined) return configuredTimeoutMs(p.timeout);
  const operationMs = ctx.meta.timeout !== undefined ? Number(ctx.meta.timeout) || undefined : undefined;
  return stockDefaultTimeoutMs(operationMs, targets.length, p.attempts);
}

function splitOptions(p: PingParams): string[] {
  return (p.options ?? '').split(/\s+/).filter((o) => o !== '');
}

// use_fping as ocf_is_true reads it: only a true word is true (use_fping=2 means ping).
function useFping(p: PingParams, log?: Logger): boolean {
  const { value, known } = ocfIsTrue(p.use_fping);
  if (!known)
    log?.warn(
      `use_fping '${p.use_fping}' is neither true nor false; ` +
        `read as ${value}, as the stock agent reads it${value ? '' : ': iputils ping is used'}`,
    );
  return value;
}

// The stock agent's spellings; anything else is warned about and read as false, as there.
function debugLevel(text: string, log: Logger): 0 | 1 | 2 {
  const word = text.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(word)) return 1;
  if (['verbose', '2'].includes(word)) return 2;
  if (!['false', '0', 'no'].includes(word)) log.warn(`debug should be true, false or verbose, not '${text}'; using false`);
  return 0;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
