// SPDX-License-Identifier: Apache-2.0
import { setTimeout as delay } from 'node:timers/promises';
import type { Deadline } from './deadline.js';

/** A wait that ran out of time; an OCF action fails with its message as the exit reason (1). */
export class WaitTimedOut extends Error {
  override readonly name = 'WaitTimedOut';
  constructor(what: string) {
    super(`timed out waiting for ${what}`);
  }
}

/** Sleeps `ms`, or less if the deadline comes first; never throws on abort. */
export async function sleep(ms: number, deadline?: Deadline): Promise<void> {
  const waitMs = deadline ? Math.min(ms, deadline.remainingMs()) : ms;
  if (waitMs <= 0) return;
  await delay(waitMs, undefined, { signal: deadline?.signal }).catch(() => undefined);
}

/** Resolves (to undefined) once the deadline has passed: one side of a race against work that may end first. */
export function expiry(deadline: Deadline): Promise<undefined> {
  const { signal } = deadline;
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true }));
}

/**
 * Polls `isDone` every `everyMs` until it answers true, or throws WaitTimedOut
 * once the deadline leaves no room for another poll.
 */
export async function waitUntil(what: string, isDone: () => Promise<boolean>, deadline: Deadline, everyMs = 1000): Promise<void> {
  for (;;) {
    if (await isDone()) return;
    if (deadline.remainingMs() < Math.min(everyMs, 50) || deadline.isExpired()) throw new WaitTimedOut(what);
    await sleep(everyMs, deadline);
    if (deadline.isExpired()) {
      if (await isDone()) return;
      throw new WaitTimedOut(what);
    }
  }
}
