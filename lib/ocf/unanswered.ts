// SPDX-License-Identifier: Apache-2.0
import type { EventEmitter } from 'node:events';

const unansweredReason = 'the action ended without an answer (it waited for something nothing was left to wake)';

/**
 * Node exits with status 0 when its event loop empties, even while the action's promise is still
 * pending: a wait on something no timer, child or socket will settle (the deadline's AbortSignal
 * timer does not keep a process alive). For Pacemaker that would be a success nobody decided.
 * The program ends only through process.exit, so an empty loop always means this: answer 1.
 */
export function failWhenUnanswered(proc: Pick<EventEmitter, 'once'>, exit: (code: number) => void, err: (text: string) => void): void {
  proc.once('beforeExit', () => {
    err(`ocf-exit-reason:internal error: ${unansweredReason}\n`);
    exit(1);
  });
}
