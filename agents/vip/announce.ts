// SPDX-License-Identifier: Apache-2.0
// Telling the segment where the address lives, and asking whether it already lives elsewhere.
import { readFileSync } from 'node:fs';
import { ExecFailed, query, run, which, type Argv } from '../../lib/exec/index.js';
import { Ocf, OcfError, type Deadline } from '../../lib/ocf/index.js';
import type { FloatingAddress } from './address.js';

// resource-agents' senders: Node cannot send raw ARP or ICMPv6, and iputils arping only
// spaces packets by whole seconds.
export const sendArpPath = '/usr/libexec/heartbeat/send_arp';
export const sendUaPath = '/usr/libexec/heartbeat/send_ua';

/** The programs announcing an address of this family needs. */
export function announceTools(family: 4 | 6): string[] {
  return family === 4 ? [sendArpPath] : [sendUaPath];
}

function senderArgv(address: FloatingAddress, nic: string, prefix: number, count: number, intervalMs: number): Argv {
  return address.family === 4
    ? [sendArpPath, '-i', String(intervalMs), '-r', String(count), nic, address.text, 'auto', 'not_used', 'not_used']
    : [sendUaPath, '-i', String(intervalMs), '-c', String(count), address.text, String(prefix), nic];
}

/**
 * Gratuitous ARPs (IPv4) or unsolicited neighbour advertisements (IPv6) so peers update their caches.
 * The first goes out before start returns, so a failure to send is reported; the rest follow in the
 * background, spaced by `intervalMs`, as IPaddr2 does, so they do not delay the start.
 * Returns the background sender's pid: stop must end it, or it would go on claiming the address.
 */
export async function announce(address: FloatingAddress, nic: string, prefix: number, count: number, intervalMs: number, deadline: Deadline): Promise<number | undefined> {
  if (count <= 0 || nic === 'lo') return undefined;
  await run(senderArgv(address, nic, prefix, 1, intervalMs), { deadline });
  if (count <= 1) return undefined;
  const [file, ...args] = senderArgv(address, nic, prefix, count - 1, intervalMs);
  const { spawn } = process.getBuiltinModule('node:child_process');
  const child = spawn(file, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
  return child.pid;
}

/** Ends a background sender left by start, if it still runs (and is still a sender: pids are reused). */
export function stopAnnouncer(pid: number | undefined): void {
  if (pid === undefined) return;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.startsWith(sendArpPath) && !cmdline.startsWith(sendUaPath)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone between the check and the kill.
  }
}

/** Gratuitous ARPs from the monitor (arp_count_refresh), with no execa load on that path. */
export async function refreshArp(address: FloatingAddress, nic: string, count: number, deadline: Deadline): Promise<void> {
  await query(senderArgv(address, nic, 32, count, 200), { deadline });
}

/**
 * IPv4 duplicate address detection (an RFC 5227 probe with `arping -D`, 1 s): throws when another
 * host answers for the address. IPv6 relies on the kernel's DAD when the address is added.
 */
export async function refuseIfAnsweredElsewhere(address: FloatingAddress, nic: string, deadline: Deadline): Promise<void> {
  if (address.family !== 4 || nic === 'lo') return;
  if (which('arping') === undefined)
    throw new OcfError(Ocf.ERR_INSTALLED, 'arping is not installed on this node (needed for the duplicate address check; set check_duplicate=false to skip it)');
  try {
    await run(['arping', '-q', '-D', '-c', '1', '-w', '1', '-I', nic, address.text], { deadline: deadline.within(3000) });
  } catch (e) {
    if (e instanceof ExecFailed && e.exitCode === 1)
      throw new OcfError(
        Ocf.ERR_GENERIC,
        `${address.text} already answers on the segment of ${nic} (another host holds it); refusing to start to avoid a duplicate address. Set check_duplicate=false to skip this check`,
      );
    throw e;
  }
}
