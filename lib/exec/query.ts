// SPDX-License-Identifier: Apache-2.0
import { resolveProgram, type Argv, type RunOptions, type RunResult } from './run.js';
import { ExecFailed } from './exec-failed.js';

/**
 * `run` for hot paths (recurring monitors): the same contract, on node:child_process directly,
 * without loading execa at every agent call.
 */
export function query(argv: Argv, options: RunOptions): Promise<RunResult> {
  // Loaded on first use: child_process pulls in net, stream and dgram, which an agent
  // whose monitor spawns nothing (vip) should not pay for.
  const { execFile } = process.getBuiltinModule('node:child_process');
  const [program, ...args] = argv;
  return new Promise((resolve, reject) => {
    let child: ReturnType<typeof execFile>;
    try {
      child = execFile(
        resolveProgram(program),
        args,
        {
          signal: options.deadline.signal,
          killSignal: 'SIGKILL',
          maxBuffer: 16 * 1024 * 1024,
          env: { ...process.env, ...options.env, LC_ALL: 'C' },
          encoding: 'utf8',
        },
        (error, stdout, stderr) => {
          if (!error) return resolve({ stdout, stderr, exitCode: 0 });
          const e = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean };
          if (e.code === 'ENOENT') return reject(new ExecFailed(argv, undefined, stderr, false, true));
          if (e.name === 'AbortError' || options.deadline.signal.aborted)
            return reject(new ExecFailed(argv, undefined, stderr, true, false, stdout));
          const exitCode = typeof e.code === 'number' ? e.code : -1;
          if ((options.okExitCodes ?? []).includes(exitCode)) return resolve({ stdout, stderr, exitCode });
          reject(new ExecFailed(argv, exitCode >= 0 ? exitCode : undefined, stderr, false, false, stdout));
        },
      );
    } catch (e) {
      // Node throws execve's EPERM (file capabilities outside the bounding set) at once.
      if ((e as NodeJS.ErrnoException).code === 'EPERM') return reject(new ExecFailed(argv, undefined, '', false, false, '', true));
      return reject(e);
    }
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
