// SPDX-License-Identifier: Apache-2.0
import type { Deadline } from '../time/index.js';
import { ExecFailed } from './exec-failed.js';
import { loadExeca } from './execa.js';
import { killTree, trackChild } from './live-children.js';
import { which } from './which.js';
import { errnoCode } from '../unknown/index.js';

export type Argv = readonly [string, ...string[]];

export interface RunOptions {
  readonly deadline: Deadline;
  /** Text written to the program's stdin (secrets go here, never in argv). */
  readonly input?: string;
  /** Extra environment on top of the agent's own; LC_ALL is always C. */
  readonly env?: Readonly<Record<string, string>>;
  /** Non-zero exit codes that are answers, not failures (e.g. `virsh domstate` on a missing domain). */
  readonly okExitCodes?: readonly number[];
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * Runs a program from an argument array under the operation's deadline, through execa: vip's
 * address changes. The vm agent and every recurring monitor use `query`, which avoids execa's
 * load and per-call cost (half of a vm start's own CPU, bench/README.md).
 */
export async function run(argv: Argv, options: RunOptions): Promise<RunResult> {
  const [program, ...args] = argv;
  const file = which(program);
  if (file === undefined) throw new ExecFailed(argv, undefined, '', false, true);
  const execa = await loadExeca();
  const { signal } = options.deadline;
  if (signal.aborted) throw new ExecFailed(argv, undefined, '', true, false, '');
  const subprocess = execa(file, args, {
    killSignal: 'SIGKILL', // as Pacemaker at its timeout: a child that traps SIGTERM would run on
    reject: false,
    stripFinalNewline: false,
    env: { ...options.env, LC_ALL: 'C' },
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
  });
  // The deadline kills what the program started too (execa's cancelSignal kills the program alone).
  const onAbort = (): void => killTree(subprocess);
  signal.addEventListener('abort', onAbort, { once: true });
  const forget = trackChild(subprocess);
  const r = await subprocess.finally(() => {
    signal.removeEventListener('abort', onAbort);
    forget();
  });
  const stdout = typeof r.stdout === 'string' ? r.stdout : '';
  const stderr = typeof r.stderr === 'string' ? r.stderr : '';
  const cancelled = r.failed && signal.aborted;
  if (r.failed && r.exitCode === undefined && !cancelled && errnoCode(r.cause) === 'ENOENT')
    throw new ExecFailed(argv, undefined, stderr, false, true);
  if (r.failed && r.exitCode === undefined && !cancelled && errnoCode(r.cause) === 'EPERM')
    throw new ExecFailed(argv, undefined, stderr, false, false, '', true);
  const exitCode = r.exitCode ?? -1;
  if (cancelled || r.timedOut) throw new ExecFailed(argv, r.exitCode, stderr, true, false, stdout);
  if (exitCode !== 0 && !(options.okExitCodes ?? []).includes(exitCode))
    throw new ExecFailed(argv, r.exitCode, stderr, false, false, stdout);
  return { stdout, stderr, exitCode };
}

/**
 * The path `which` finds (it also looks in the sbin directories Pacemaker's PATH may lack), so
 * a tool the kit found is the tool that runs; the bare name when it is nowhere (ENOENT follows).
 * `run` and `query` answer "not installed" without spawning when `which` finds nothing: a file
 * there that cannot be executed (no x bit, something mounted over it) would fail with EACCES.
 */
export function resolveProgram(program: string): string {
  return which(program) ?? program;
}
