// SPDX-License-Identifier: Apache-2.0
import { setTimeout as delay } from 'node:timers/promises';
import type { Deadline } from './deadline.js';
import { Ocf } from './exit-codes.js';
import { OcfError } from './ocf-error.js';

/** Sleeps `ms`, or less if the deadline comes first; never throws on abort. */
export async function sleep(ms: number, deadline?: Deadline): Promise<void> {
  const waitMs = deadline ? Math.min(ms, deadline.remainingMs()) : ms;
  if (waitMs <= 0) return;
  await delay(waitMs, undefined, { signal: deadline?.signal }).catch(() => undefined);
}

/**
 * Polls `isDone` every `everyMs` until it answers true, or throws "timed out waiting for …"
 * once the deadline leaves no room for another poll.
 */
export async function waitUntil(
  what: string,
  isDone: () => Promise<boolean>,
  deadline: Deadline,
  everyMs = 1000,
): Promise<void> {
  for (;;) {
    if (await isDone()) return;
    if (deadline.remainingMs() < Math.min(everyMs, 50) || deadline.isExpired())
      throw new OcfError(Ocf.ERR_GENERIC, `timed out waiting for ${what}`);
    await sleep(everyMs, deadline);
    if (deadline.isExpired()) {
      if (await isDone()) return;
      throw new OcfError(Ocf.ERR_GENERIC, `timed out waiting for ${what}`);
    }
  }
}
