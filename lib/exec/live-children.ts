// SPDX-License-Identifier: Apache-2.0
import { descendantsOf } from '../proc/index.js';

interface Killable {
  readonly pid?: number | undefined;
  kill(signal: NodeJS.Signals): boolean;
}

const live = new Set<Killable>();

/** Tracks a child the agent waits for; the returned function forgets it once it has exited. */
export function trackChild(child: Killable): () => void {
  live.add(child);
  return () => live.delete(child);
}

/**
 * SIGKILLs a child and every process it started. Those are found before the child dies (its orphans
 * then belong to init): one left running would go on acting, and one that holds the child's output
 * pipe (a script's `sleep`) would keep the call from ever settling.
 */
export function killTree(child: Killable): void {
  const descendants = child.pid !== undefined ? descendantsOf(child.pid) : [];
  child.kill('SIGKILL');
  for (const pid of descendants) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/**
 * SIGKILLs every child still running, and what it started, just before the agent exits. Pacemaker
 * kills the agent's process group only when the agent itself times out: a child left running after
 * the agent's own answer (the backstop answered while it ran) would be orphaned and go on acting.
 * Detached children (announcers, syslog's logger) are meant to outlive the agent and are not tracked.
 */
export function killLiveChildren(): void {
  for (const child of live) killTree(child);
  live.clear();
}
