// SPDX-License-Identifier: Apache-2.0

interface Killable {
  kill(signal: NodeJS.Signals): boolean;
}

const live = new Set<Killable>();

/** Tracks a child the agent waits for; the returned function forgets it once it has exited. */
export function trackChild(child: Killable): () => void {
  live.add(child);
  return () => live.delete(child);
}

/**
 * SIGKILLs every child still running, just before the agent exits. Pacemaker kills the agent's
 * process group only when the agent itself times out: a child left running after the agent's own
 * answer (the backstop answered while it ran) would be orphaned and go on acting. Detached
 * children (announcers, syslog's logger) are meant to outlive the agent and are not tracked.
 */
export function killLiveChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}
