// SPDX-License-Identifier: Apache-2.0
import type { Writable } from 'node:stream';
import { resolveProgram, type Argv } from './run.js';

export interface DetachedOptions {
  /** Give the program a pipe on stdin (returned as `stdin`); otherwise stdin, like stdout and stderr, is /dev/null. */
  readonly stdin?: 'pipe' | 'ignore';
  /** Called when the program cannot be started or its stdin pipe fails; nothing is thrown. */
  readonly onError?: () => void;
}

export interface Detached {
  readonly pid: number | undefined;
  readonly stdin: Writable | undefined;
}

/**
 * Starts a program that outlives the action (a background announcer, the syslog writer): in its own
 * process group, and unref'd with its stdin, so the agent exits without waiting for it and a stuck
 * one never delays the exit. Its output is discarded.
 */
export function spawnDetached(argv: Argv, options: DetachedOptions = {}): Detached {
  // Loaded on first use, as in query: off the path of actions that start nothing.
  const { spawn } = process.getBuiltinModule('node:child_process');
  const [program, ...args] = argv;
  const onError = options.onError ?? (() => undefined);
  const child = spawn(resolveProgram(program), args, { stdio: [options.stdin ?? 'ignore', 'ignore', 'ignore'], detached: true });
  child.on('error', onError);
  child.stdin?.on('error', onError);
  child.unref();
  // A pipe's stream is a net.Socket, whose unref lets the exit go on while the reader drains it.
  if (child.stdin !== null && 'unref' in child.stdin && typeof child.stdin.unref === 'function') child.stdin.unref();
  return { pid: child.pid, stdin: child.stdin ?? undefined };
}
