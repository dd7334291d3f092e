// SPDX-License-Identifier: Apache-2.0
// Lab hooks: argv arrays (never shell strings) run when a VM reaches stopped/terminated or running.
import { spawn } from 'node:child_process';

export type HookEvent = 'onStopped' | 'onRunning';

export interface HookRun {
  readonly vmId: string;
  readonly event: HookEvent;
  readonly argv: readonly string[];
  readonly startedAt: string;
  exitCode: number | null;
  signal: string | null;
  error: string | undefined;
  finished: boolean;
}

/** Starts the hook and records its outcome in `run` when it ends; does not wait for it. */
export function runHook(vmId: string, event: HookEvent, argv: readonly string[], state: string): HookRun {
  const run: HookRun = {
    vmId,
    event,
    argv,
    startedAt: new Date().toISOString(),
    exitCode: null,
    signal: null,
    error: undefined,
    finished: false,
  };
  const [program, ...args] = argv;
  const child = spawn(program!, args, {
    stdio: 'ignore',
    env: { ...process.env, SIM_VM_ID: vmId, SIM_VM_STATE: state, SIM_HOOK_EVENT: event },
  });
  child.on('error', (e) => {
    run.error = e.message;
    run.finished = true;
  });
  child.on('exit', (code, signal) => {
    run.exitCode = code;
    run.signal = signal;
    run.finished = true;
  });
  return run;
}
