// SPDX-License-Identifier: Apache-2.0
import { createLogger, logSettingsFromEnv, type Io, type Logger } from '../log/logger.js';
import { sleep, Deadline } from '../time/index.js';
import type { AgentOptions, AgentOptionsSpec, FenceAgent, FenceContext } from './define.js';
import { FenceExit } from './exit-codes.js';
import { reasonOf } from './fence-error.js';
import { manPage } from './manpage.js';
import { fenceAgentXml } from './metadata-xml.js';
import type { FenceOptionsSpec } from './option-spec.js';
import { knownName, parseArgvOptions } from './parse-argv.js';
import { parseStdinOptions } from './parse-stdin.js';
import { isTimeoutDisabled, powerPhaseDeadline, queryBudgetMs, type PowerTiming } from './power-loop.js';
import { runDeviceAction, type KitOptions } from './actions.js';
import { debugFileProblem } from './debug-file.js';
import { actionSpellingProblem, withOptionAsAction } from './action-spelling.js';
import { resolveOptions } from './resolve-options.js';
import { fenceActions, standardOptions, type FenceAction } from './standard-options.js';
import { usageText } from './usage.js';

/** What one run of a fence agent was given: argv, or else stdin, as pacemaker-fenced sends it. */
export interface FenceRunInput {
  readonly argv: readonly string[];
  /** Read only when argv is empty, as fencing.py does. */
  readonly stdin?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly io?: Io;
}

export interface FenceRunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The whole options table of an agent: the standard options, then its own. */
export function agentOptionsSpec<S extends FenceOptionsSpec, C, V>(agent: FenceAgent<S, C, V>): AgentOptionsSpec<S> {
  return { ...standardOptions, ...agent.options } as AgentOptionsSpec<S>;
}

/**
 * Runs one call of a fence agent and returns what the process would print and exit with.
 * Only src/main.ts turns this into a real exit; unit tests call it directly.
 */
export async function runFenceAgent<S extends FenceOptionsSpec, C, V>(
  agent: FenceAgent<S, C, V>,
  input: FenceRunInput,
): Promise<FenceRunResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => {
      stdout += t;
      input.io?.out(t);
    },
    err: (t) => {
      stderr += t;
      input.io?.err(t);
    },
  };
  const exitCode = await dispatch(agent as FenceAgent<FenceOptionsSpec, C, V>, input, io);
  return { exitCode, stdout, stderr };
}

/** The entry src/agents.ts registers: reads stdin itself when there is no argv. */
export function fenceMain<S extends FenceOptionsSpec, C, V>(agent: FenceAgent<S, C, V>): (argv: readonly string[]) => Promise<number> {
  return async (argv) => {
    const stdin = argv.length === 0 ? await readStdin() : undefined;
    const io: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
    return (await runFenceAgent(agent, { argv, ...(stdin !== undefined ? { stdin } : {}), env: process.env, io })).exitCode;
  };
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('reading key=value options from stdin (end with Ctrl-D; see --help)\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function dispatch<C, V>(agent: FenceAgent<FenceOptionsSpec, C, V>, input: FenceRunInput, io: Io): Promise<number> {
  const spec = agentOptionsSpec(agent);
  const fromArgv = input.argv.length > 0;
  const stdinLines = fromArgv ? undefined : parseStdinOptions(input.stdin ?? '');
  const fromStdin = stdinLines && { ...stdinLines, options: withOptionAsAction(stdinLines.options) };
  const fromCommandLine = fromArgv ? parseArgvOptions(input.argv, spec) : undefined;
  const resolved = resolveOptions(fromCommandLine?.options ?? fromStdin?.options ?? [], spec, fromArgv ? 'argv' : 'stdin');
  // The kit reads the standard options; the agent's callbacks get the whole table.
  const o = resolved.values as unknown as KitOptions;
  const agentOptions = resolved.values as AgentOptions<FenceOptionsSpec>;
  const log = loggerFor(agent.name, o, input.env, io);
  const fail = (reason: string): number => {
    log.err(`Failed: ${reason}`);
    return FenceExit.FAILED;
  };

  for (const n of fromStdin?.malformedLines ?? []) log.warn(`ignoring line ${n} of stdin: it is not key=value`);
  for (const w of resolved.warnings) log.warn(w);
  if (o.verbose && o.verbose_level === 0) log.warn('ignoring verbose: verbose_level=0 turns debug messages off');
  // fencing.py honours help= and version= on stdin too, and exits 0: a device holding one would
  // answer every fence with success and stop nothing.
  const stdinAction = fromStdin?.options.some((x) => x.name === 'action') === true;
  if (stdinAction && (o.help || o.version))
    return fail(`${o.help ? 'help' : 'version'} is for the command line (-h, -V), not a device option: remove it; nothing was done`);
  if (o.help) {
    io.out(usageText(agent.name, spec));
    return FenceExit.SUCCESS;
  }
  if (o.version) {
    io.out(`${agent.version ?? '1.0'}\n`);
    return FenceExit.SUCCESS;
  }
  const spellingProblem = fromStdin && actionSpellingProblem(fromStdin.options, (n) => knownName(n, spec) !== undefined);
  if (spellingProblem !== undefined) return fail(spellingProblem);
  const action = normalizeAction(o.action);
  if (action === undefined) {
    log.err(`Failed: Unrecognised action '${o.action}'`);
    log.err("Please use '-h' for usage");
    return FenceExit.FAILED;
  }
  // Meta-data works with no configuration, no network and whatever else stdin holds.
  if (action === 'metadata') {
    io.out(fenceAgentXml({ ...agent, options: spec }));
    return FenceExit.SUCCESS;
  }
  if (action === 'manpage') {
    io.out(
      manPage({ ...agent, version: agent.version ?? '1.0', options: spec, ...(agent.manSections ? { sections: agent.manSections } : {}) }),
    );
    return FenceExit.SUCCESS;
  }

  const errors = [...(fromCommandLine?.errors ?? []), ...resolved.errors];
  const plugs = (o.plug ?? '')
    .split(o.plug_separator || ',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (needsPlug(action) && plugs.length === 0)
    errors.push('no plug given: set plug= on stdin (port= with Pacemaker 2.1), or -n/--plug on the command line');
  const timing: PowerTiming = {
    powerTimeoutS: o.power_timeout,
    powerWaitS: o.power_wait,
    statusSleepS: o.stonith_status_sleep,
    timeoutDisabled: isTimeoutDisabled(o.disable_timeout),
  };
  // off and reboot: power_timeout counts from here, so the delay and the connection are inside it, power_wait
  // is not (as in fencing.py); reboot's power-on phase comes after, bounded in runDeviceAction. on gets
  // power_wait + power_timeout per attempt. Everything else, validation included, has one total budget.
  const firstPhase = isPowerAction(action) ? powerPhaseDeadline(timing) : undefined;
  const ctx: FenceContext = { agent: agent.name, action, plugs, log, env: input.env, deadline: Deadline.after(queryBudgetMs) };
  // monitor too: Pacemaker runs it every few minutes, validate-all only when the device changes.
  const delayError = ['off', 'reboot', 'validate-all', 'monitor'].includes(action) ? delayProblem(o, timing) : undefined;
  if (delayError !== undefined) errors.push(delayError);
  let validated: V | undefined;
  try {
    if (errors.length === 0) validated = await agent.validate?.(agentOptions, ctx);
  } catch (e) {
    errors.push(reasonOf(e));
  }
  if (errors.length > 0) {
    for (const e of errors.slice(0, -1)) log.err(e);
    return fail(action === 'validate-all' ? `${errors.at(-1) ?? ''}; validate-all failed` : (errors.at(-1) ?? ''));
  }
  if (action === 'validate-all') return FenceExit.SUCCESS;

  try {
    if ((action === 'off' || action === 'reboot') && o.delay > 0) {
      log.info(`waiting ${o.delay} s (delay) before fencing`);
      await sleep(o.delay * 1000, firstPhase);
    }
    const runCtx: FenceContext = firstPhase !== undefined ? { ...ctx, deadline: firstPhase } : ctx;
    const c = await agent.connect(agentOptions, runCtx, validated as V);
    return await runDeviceAction(agent, c, action, plugs, o, timing, runCtx, io);
  } catch (e) {
    return fail(reasonOf(e));
  }
}

// What an off needs after the delay: the request, then polls until confirmed (two reads at least).
const minFencingS = 10;

/** Pacemaker counts the delay in its own timeout, and so does the agent: a delay that fills power_timeout leaves no time to fence. */
function delayProblem(o: KitOptions, timing: PowerTiming): string | undefined {
  const left = Math.min(minFencingS, timing.powerTimeoutS / 2);
  if (timing.timeoutDisabled || timing.powerTimeoutS <= 0 || o.delay === 0 || o.delay <= timing.powerTimeoutS - left) return undefined;
  return (
    `delay (${o.delay} s) must leave at least ${left} s of power_timeout (${timing.powerTimeoutS} s): off ` +
    'and reboot must be confirmed within power_timeout, the delay included. Lower delay, or raise power_timeout together with ' +
    'pcmk_off_timeout and pcmk_reboot_timeout (Pacemaker kills the agent at those)'
  );
}

function normalizeAction(raw: string): FenceAction | undefined {
  const a = raw.trim().toLowerCase();
  const name = a === 'meta-data' ? 'metadata' : a;
  return (fenceActions as readonly string[]).includes(name) ? (name as FenceAction) : undefined;
}

function isPowerAction(action: FenceAction): boolean {
  return action === 'on' || action === 'off' || action === 'reboot';
}

function needsPlug(action: FenceAction): boolean {
  return action === 'on' || action === 'off' || action === 'reboot' || action === 'status';
}

/** fencing.py: verbose_level, when given, decides (above 0 is verbose); else the verbose flag. */
function isVerbose(o: KitOptions): boolean {
  return o.verbose_level !== undefined ? o.verbose_level > 0 : o.verbose;
}

function loggerFor(name: string, o: KitOptions, env: FenceRunInput['env'], io: Io): Logger {
  const fromEnv = logSettingsFromEnv(`${name}[${process.pid}]`, env);
  // fencing.py: every line on stderr, and in debug_file when given (debug lines included).
  // A debug file that cannot be used must not change the action's result: it is left out, with a warning.
  const refused = o.debug_file !== undefined ? debugFileProblem(o.debug_file) : undefined;
  const log = createLogger(
    {
      ...fromEnv,
      debug: fromEnv.debug || isVerbose(o),
      alwaysStderr: true,
      alwaysDebuglog: true,
      ...(o.debug_file !== undefined && refused === undefined ? { debuglog: o.debug_file } : {}),
    },
    o.quiet ? { out: io.out, err: () => undefined } : io,
  );
  if (refused !== undefined) log.warn(`debug_file ${o.debug_file} is not written: ${refused}`);
  return log;
}
