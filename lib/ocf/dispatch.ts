// SPDX-License-Identifier: Apache-2.0
import { createLogger, logSettingsFromEnv, type Io } from '../log/logger.js';
import { which } from '../exec/which.js';
import { ExecFailed } from '../exec/exec-failed.js';
import { parseParams, undeclaredParams, type ParamsOf, type ParamsSpec, type SetAside } from '../spec/params.js';
import { stateFile } from '../state/state-file.js';
import { metaFromEnv, nodeNameFrom, type ResourceContext } from './context.js';
import { BestEffort } from './best-effort.js';
import { budgetForTimeout, Deadline, maxTimerMs, parseDurationMs } from '../time/index.js';
import type { ResourceAgent } from './define.js';
import { Ocf, ocfCodeName, type OcfCode } from './exit-codes.js';
import { OcfError } from './ocf-error.js';
import { outcomeOf } from './action-outcome.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ActionResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const exitReasonPrefix = 'ocf-exit-reason:';

/** Actions every agent answers; status, migrate_* and reload-agent only when the agent supplies them. */
function supportedActions(agent: ResourceAgent): string[] {
  const actions = ['start', 'stop', 'monitor', 'validate-all', 'meta-data', 'usage', 'help', 'methods'];
  if (agent.actions.status) actions.push('status');
  if (agent.reloadAgent || Object.values(agent.params).some((p) => p.reloadable)) actions.push('reload-agent');
  if (agent.migrateTo) actions.push('migrate_to');
  if (agent.migrateFrom) actions.push('migrate_from');
  return actions;
}

/**
 * Runs one OCF action of `agent` against `env` and returns what the process would print and exit
 * with. Only src/main.ts turns this into a real exit; unit tests call it directly.
 */
/**
 * `spentMs`: what the operation's timeout has already lost before this call, counted by Pacemaker
 * from the fork (src/main.ts passes the process's age: the executable's start).
 */
export async function runAction(agent: ResourceAgent, action: string, env: Env, io?: Io, spentMs = 0): Promise<ActionResult> {
  let stdout = '';
  let stderr = '';
  const sink: Io = {
    out: (t) => {
      stdout += t;
      io?.out(t);
    },
    err: (t) => {
      stderr += t;
      io?.err(t);
    },
  };
  const exitCode = await dispatch(agent, action, env, sink, spentMs);
  return { exitCode, stdout, stderr };
}

async function dispatch(agent: ResourceAgent, asked: string, env: Env, io: Io, spentMs: number): Promise<number> {
  const actions = supportedActions(agent);
  if (!actions.includes(asked)) {
    io.err(usage(agent, actions));
    if (asked !== '') io.err(`${exitReasonPrefix}action '${asked}' is not supported by ${agent.name}\n`);
    return Ocf.ERR_UNIMPLEMENTED;
  }
  // VirtualDomain's and IPaddr2's status, kept for scripts that call it: the monitor, by every measure
  // (a run by hand, with no interval, is a probe; pcs copies no status operation into the CIB).
  const action = asked === 'status' ? 'monitor' : asked;
  if (action === 'meta-data') {
    io.out(await metaData(agent));
    return Ocf.SUCCESS;
  }
  if (action === 'usage' || action === 'help') {
    io.out(usage(agent, actions));
    return Ocf.SUCCESS;
  }
  if (action === 'methods') {
    io.out(`${actions.filter((a) => a !== 'help').join('\n')}\n`);
    return Ocf.SUCCESS;
  }

  const { ctx: base, bestEffort } = contextFor(agent, action, env, io, spentMs);
  const finish = (code: OcfCode, reason: string, asIs = false): number => {
    const outcome = asIs ? { code, reason } : outcomeOf(action, base.isProbe, code, reason);
    if (outcome.note) base.log.info(outcome.note);
    if (outcome.reason !== undefined && !(base.isProbe && outcome.code === Ocf.NOT_RUNNING)) {
      if (outcome.code !== Ocf.NOT_RUNNING) base.log.err(`${action} failed (${ocfCodeName(outcome.code)}): ${outcome.reason}`);
      io.err(`${exitReasonPrefix}${oneLine(outcome.reason)}\n`);
    }
    return outcome.code;
  };
  // IPaddr2's words for its status, when the monitor itself found the resource running or not: a
  // status that could not look (a tool or a setting missing) prints nothing.
  const told = (exit: number, found: OcfCode): number => {
    if (asked === 'status' && exit === found && (found === Ocf.SUCCESS || found === Ocf.NOT_RUNNING))
      io.out(found === Ocf.SUCCESS ? 'running\n' : 'stopped\n');
    return exit;
  };

  let p: ParamsOf<ParamsSpec>;
  let ctx: ResourceContext;
  try {
    p = parseParams(agent.params, env, looksDespiteBadSettings(action) ? setAsideFor(action, (m) => base.log.warn(m)) : undefined);
    if (action === 'start' || action === 'validate-all')
      for (const name of undeclaredParams(agent.params, env))
        base.log.warn(`parameter ${name} is not a parameter of ${agent.name}: ignored`);
    ctx = { ...base, resolved: agent.resolve?.(p, base) };
    await agent.validate?.(p, ctx);
    if (needsTools(action, ctx.checkLevel)) checkTools(agent, p, ctx);
    if (action === 'start' || action === 'migrate_from' || (action === 'validate-all' && ctx.checkLevel >= 10))
      await agent.validateHost?.(p, ctx);
  } catch (e) {
    const { code, reason } = asOcf(e);
    return finish(code, reason);
  }
  if (action === 'validate-all') return Ocf.SUCCESS;

  try {
    const code = await withinDeadline(ctx, bestEffort, () => runHandler(agent, action, p, ctx));
    return told(finish(code, code === Ocf.NOT_RUNNING ? `${agent.name} ${ctx.instance} is not running` : ''), code);
  } catch (e) {
    // Validation found the tools; a stop that then cannot run one has not stopped anything (5, as stock).
    if (action === 'stop' && e instanceof ExecFailed && e.notFound) return finish(Ocf.ERR_INSTALLED, e.message, true);
    const { code, reason } = asOcf(e);
    return told(finish(code, reason), code);
  }
}

// A stop or monitor with a malformed setting still looks at the resource: answering "stopped" or
// "not running" from the configuration alone would hide one that runs (the kit maps 6 to 0 and 7 there).
// A reload-agent answering 6 would have Pacemaker stop the resource on every node (a ping clone's
// attribute deleted, VMs moved off): as the stock agents, whose reload checks nothing, it goes on
// with the default and a warning, which every monitor repeats until the value is fixed.
function looksDespiteBadSettings(action: string): boolean {
  return action === 'stop' || action === 'monitor' || action === 'reload-agent';
}

function setAsideFor(action: string, warn: (m: string) => void): (s: SetAside) => void {
  return ({ name, error, fallback }) =>
    warn(`parameter ${name}: ${error}; this ${action} uses ${fallback === undefined ? 'no value' : `the default ${fallback}`} instead`);
}

async function runHandler(agent: ResourceAgent, action: string, p: ParamsOf<ParamsSpec>, ctx: ResourceContext): Promise<OcfCode> {
  switch (action) {
    case 'start':
      await agent.start(p, ctx);
      return Ocf.SUCCESS;
    case 'stop':
      await agent.stop(p, ctx);
      return Ocf.SUCCESS;
    case 'monitor':
      return agent.monitor(p, ctx);
    case 'reload-agent':
      await agent.reloadAgent?.(p, ctx);
      return Ocf.SUCCESS;
    case 'migrate_to':
      await agent.migrateTo?.(p, ctx);
      return Ocf.SUCCESS;
    case 'migrate_from':
      await agent.migrateFrom?.(p, ctx);
      return Ocf.SUCCESS;
    default:
      return Ocf.ERR_UNIMPLEMENTED;
  }
}

// The handler keeps its own deadline; this is the backstop that still answers, with a reason,
// if one of its waits forgot to honour it. Work that is settled (a best-effort step running)
// is not turned into a failure: the action's outcome was decided before the step began.
async function withinDeadline(ctx: ResourceContext, bestEffort: BestEffort, work: () => Promise<OcfCode>): Promise<OcfCode> {
  let onAbort: (() => void) | undefined;
  const expired = new Promise<OcfCode>((resolve, reject) => {
    onAbort = () => {
      const step = bestEffort.settledStep();
      if (step !== undefined) {
        ctx.log.warn(
          `${step} (best effort) was still running at the end of the ${ctx.action} budget; abandoned, the ${ctx.action} itself was done`,
        );
        resolve(Ocf.SUCCESS);
        return;
      }
      reject(new OcfError(Ocf.ERR_GENERIC, `${ctx.action} did not finish within its ${secondsText(ctx.timeoutMs)} timeout`));
    };
    if (ctx.deadline.signal.aborted) onAbort();
    else ctx.deadline.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work(), expired]);
  } finally {
    if (onAbort) ctx.deadline.signal.removeEventListener('abort', onAbort);
  }
}

/** `20 s`; below 10 s with a tenth (`1.4 s`), so that a short timeout is not shown as a rounder one. */
function secondsText(ms: number): string {
  return ms < 10_000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms / 1000)} s`;
}

function needsTools(action: string, checkLevel: number): boolean {
  return action !== 'validate-all' || checkLevel >= 10;
}

function checkTools(agent: ResourceAgent, p: ParamsOf<ParamsSpec>, ctx: ResourceContext): void {
  const needs = typeof agent.requires === 'function' ? agent.requires(p, ctx) : [{ tools: agent.requires ?? [] }];
  for (const need of needs) {
    const missing = need.tools.filter((t) => which(t) === undefined);
    if (missing.length > 0)
      throw new OcfError(
        Ocf.ERR_INSTALLED,
        `${listed(missing)} ${missing.length > 1 ? 'are' : 'is'} not installed on this node (needed ` +
          `${need.neededFor ?? `by ${agent.name}`})`,
      );
  }
}

/** `a`, `a and b`, `a, b and c`. */
function listed(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
}

function asOcf(e: unknown): { code: OcfCode; reason: string } {
  if (e instanceof OcfError) return { code: e.code, reason: e.reason };
  if (e instanceof ExecFailed && e.notFound) return { code: Ocf.ERR_INSTALLED, reason: e.message };
  if (e instanceof Error) return { code: Ocf.ERR_GENERIC, reason: e.message };
  return { code: Ocf.ERR_GENERIC, reason: String(e) };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' / ').trim();
}

function contextFor(
  agent: ResourceAgent,
  action: string,
  env: Env,
  io: Io,
  spentMs: number,
): { ctx: ResourceContext<undefined>; bestEffort: BestEffort } {
  const meta = metaFromEnv(env);
  const instance = env.OCF_RESOURCE_INSTANCE ?? agent.name;
  const intervalMs = Number(meta.interval ?? '0') || 0;
  const advertised = agent.actions[action as keyof typeof agent.actions];
  const timeoutMs = timeoutFrom(meta.timeout, advertised ? (parseDurationMs(advertised.timeout) ?? 20_000) : 20_000);
  const rsctmp = env.HA_RSCTMP ?? '/run/resource-agents';
  const log = createLogger(logSettingsFromEnv(`${agent.name}(${instance})[${process.pid}]`, env), io);
  const deadline = Deadline.after(budgetForTimeout(timeoutMs) - spentMs);
  const bestEffort = new BestEffort(deadline, log);
  const ctx: ResourceContext<undefined> = {
    agent: agent.name,
    instance,
    action,
    isProbe: action === 'monitor' && intervalMs === 0,
    intervalMs,
    timeoutMs,
    checkLevel: Number(env.OCF_CHECK_LEVEL ?? '0') || 0,
    deadline,
    log,
    state: stateFile(rsctmp, agent.name, instance),
    rsctmp,
    nodeName: nodeNameFrom(meta),
    meta,
    migrateSource: meta.migrate_source,
    migrateTarget: meta.migrate_target,
    out: io.out,
    resolved: undefined,
    bestEffort: (what, step, options) => bestEffort.run(what, step, options),
  };
  return { ctx, bestEffort };
}

/**
 * OCF_RESKEY_CRM_meta_timeout in ms; the advertised default when absent or not a positive number.
 * Longer than a timer can hold (2^31-1 ms, ~24.8 days) is clamped: Node would fire such a timer at once.
 */
export function timeoutFrom(text: string | undefined, fallbackMs: number): number {
  const ms = Number(text ?? '');
  if (ms === Infinity) return maxTimerMs;
  if (!Number.isFinite(ms) || ms <= 0) return fallbackMs;
  return Math.min(Math.floor(ms), maxTimerMs);
}

// Loaded on demand: the XML builder is not on the monitor path.
async function metaData(agent: ResourceAgent): Promise<string> {
  const { resourceAgentXml } = await import('../metadata/resource-agent-xml.js');
  return resourceAgentXml({
    name: agent.name,
    version: agent.version ?? '1.0',
    shortdesc: agent.shortdesc,
    longdesc: agent.longdesc,
    params: agent.params,
    actions: {
      ...agent.actions,
      ...(agent.reloadAgent && !agent.actions['reload-agent'] ? { 'reload-agent': { timeout: '20s' } } : {}),
    },
  });
}

function usage(agent: ResourceAgent, actions: string[]): string {
  return `usage: ${agent.name} {${actions.filter((a) => a !== 'help' && a !== 'methods').join('|')}}\n`;
}
