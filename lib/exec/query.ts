// SPDX-License-Identifier: Apache-2.0
import type { Argv, RunOptions, RunResult } from './run.js';
import { which } from './which.js';
import { errnoCode } from '../unknown/index.js';
import { ExecFailed, outputLimitBytes } from './exec-failed.js';
import { killTree, trackChild } from './live-children.js';

/**
 * `run` for hot paths (recurring monitors, every vm action): the same contract, on
 * node:child_process directly, without loading execa at every agent call.
 */
export function query(argv: Argv, options: RunOptions): Promise<RunResult> {
  // Loaded on first use: child_process pulls in net, stream and dgram, which an agent
  // whose monitor spawns nothing (vip) should not pay for.
  const { execFile } = process.getBuiltinModule('node:child_process');
  const [program, ...args] = argv;
  const file = which(program);
  return new Promise((resolve, reject) => {
    const { signal } = options.deadline;
    if (file === undefined) return reject(new ExecFailed(argv, undefined, '', false, true));
    if (signal.aborted) return reject(new ExecFailed(argv, undefined, '', true, false, ''));
    let child: ReturnType<typeof execFile>;
    let forget = (): void => {};
    // The deadline kills with SIGKILL: execFile would pass its signal on to spawn, which sends SIGTERM
    // (its killSignal serves only execFile's own kills), and a child that traps it runs on.
    const onAbort = (): void => {
      killTree(child);
    };
    try {
      child = execFile(
        file,
        args,
        {
          maxBuffer: outputLimitBytes,
          killSignal: 'SIGKILL', // execFile's own kill, at maxBuffer: a child that traps SIGTERM would run on
          env: { ...process.env, ...options.env, LC_ALL: 'C' },
          encoding: 'utf8',
        },
        (error, stdout, stderr) => {
          signal.removeEventListener('abort', onAbort);
          forget();
          if (!error) return resolve({ stdout, stderr, exitCode: 0 });
          const e = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean };
          if (e.code === 'ENOENT') return reject(new ExecFailed(argv, undefined, stderr, false, true));
          if (signal.aborted) return reject(new ExecFailed(argv, undefined, stderr, true, false, stdout));
          if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
            return reject(new ExecFailed(argv, undefined, stderr, false, false, stdout, false, true));
          const exitCode = typeof e.code === 'number' ? e.code : -1;
          if ((options.okExitCodes ?? []).includes(exitCode)) return resolve({ stdout, stderr, exitCode });
          reject(new ExecFailed(argv, exitCode >= 0 ? exitCode : undefined, stderr, false, false, stdout));
        },
      );
    } catch (e) {
      // Node throws execve's EPERM (file capabilities outside the bounding set) at once.
      if (errnoCode(e) === 'EPERM') return reject(new ExecFailed(argv, undefined, '', false, false, '', true));
      return reject(e);
    }
    forget = trackChild(child);
    signal.addEventListener('abort', onAbort, { once: true });
    // A program that exits without reading its input answers by its exit status: the EPIPE of
    // the write would otherwise be an unhandled 'error' event, which ends the agent.
    child.stdin?.on('error', () => {});
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
