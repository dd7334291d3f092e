// SPDX-License-Identifier: Apache-2.0
import { messageOf } from '../../lib/unknown/index.js';
import { waitUntil, WaitTimedOut, type Deadline } from '../../lib/time/index.js';
import { describeStatus, type Virsh } from './virsh.js';

/** How `virsh migrate` ended. */
export type MigrationOutcome = { readonly failed: false } | { readonly failed: true; readonly error: unknown };

// One domjobabort; it answers in milliseconds unless libvirtd hangs.
const abortCallMs = 3000;
// Between two aborts that found no job, while virsh runs on.
const askAgainMs = 250;

/**
 * Aborts the migration job, asking again while virsh runs on (`outcome` unsettled, `virshEnds` not
 * reached): libvirt has no job yet while virsh connects to the target, and none any more once the
 * migration has ended. Returns the words for the exit reason.
 */
export async function abortUntilEnded(
  virsh: Virsh,
  name: string,
  outcome: Promise<MigrationOutcome>,
  virshEnds: Deadline,
): Promise<string> {
  let ended = false;
  void outcome.then(() => (ended = true));
  let failure: string | undefined;
  const aborted = async (): Promise<boolean> => {
    failure = await virsh.abortJob(name, virshEnds.within(abortCallMs)).then(
      () => undefined,
      (error: unknown) => messageOf(error),
    );
    return failure === undefined || ended;
  };
  await waitUntil(`${name}'s migration job to be aborted`, aborted, virshEnds, askAgainMs).catch((e: unknown) => {
    if (!(e instanceof WaitTimedOut)) throw e;
  });
  return failure === undefined ? 'it was aborted' : `aborting it failed (${failure})`;
}

/** Where the domain is after a migration that ran out of time, as this node's libvirt sees it. */
export async function whereAfterTimeout(virsh: Virsh, name: string, target: string, deadline: Deadline): Promise<string> {
  const status = await virsh.domstate(name, deadline);
  if (status.kind === 'active' && status.state === 'running') return `${name} runs on here`;
  if (status.kind === 'inactive') return `${name} no longer runs here, so it may have reached ${target}`;
  if (status.kind === 'unreachable') return `whether ${name} still runs here is unknown (${status.detail})`;
  return `${name} is ${describeStatus(status)} here`;
}
