// SPDX-License-Identifier: Apache-2.0
// Telling the segment where the address lives.
import { accessSync, constants } from 'node:fs';
import { query, run, spawnDetached, type Argv } from '../../lib/exec/index.js';
import { processesWhere, type ProcessEntry } from '../../lib/proc/index.js';
import type { Deadline } from '../../lib/time/index.js';
import type { FloatingAddress } from './address.js';
import type { VipParams } from './spec.js';
import type { VipSettings } from './stock-params.js';

// resource-agents' senders: Node cannot send raw ARP or ICMPv6, and iputils arping only
// spaces packets by whole seconds.
export const sendArpPath = '/usr/libexec/heartbeat/send_arp';
export const sendUaPath = '/usr/libexec/heartbeat/send_ua';

/** The programs announcing an address of this family needs. */
export function announceTools(family: 4 | 6): string[] {
  return family === 4 ? [sendArpPath] : [sendUaPath];
}

/** How announcements are sent: IPaddr2's arp_interval, send_arp_opts and arp_bg. */
export interface AnnounceSettings {
  readonly intervalMs: number;
  /** Extra send_arp arguments, placed first as IPaddr2 places them. */
  readonly sendArpOptions: readonly string[];
  /** Announcements after the first go on in the background (start does not wait for them). */
  readonly background: boolean;
}

/** The announce settings of a resource: IPaddr2's arp_interval, send_arp_opts and arp_bg. */
export function announceSettings(p: VipParams, s: VipSettings): AnnounceSettings {
  return { intervalMs: p.arp_interval, sendArpOptions: s.sendArpOptions, background: s.arpBackground };
}

function senderArgv(address: FloatingAddress, nic: string, prefix: number, count: number, s: AnnounceSettings): Argv {
  return address.family === 4
    ? [sendArpPath, ...s.sendArpOptions, '-i', String(s.intervalMs), '-r', String(count), nic, address.text, 'auto', 'not_used', 'not_used']
    : [sendUaPath, '-i', String(s.intervalMs), '-c', String(count), address.text, String(prefix), nic];
}

/**
 * Gratuitous ARPs (IPv4) or unsolicited neighbour advertisements (IPv6) so peers update their caches.
 * The first goes out before start returns, so a failure to send is reported; with `background`
 * the rest follow in the background, spaced by the interval, as IPaddr2 does, so they do not
 * delay the start. stop ends the background sender (stopAnnouncers), or it would go on claiming the address.
 */
export async function announce(
  address: FloatingAddress,
  nic: string,
  prefix: number,
  count: number,
  s: AnnounceSettings,
  deadline: Deadline,
): Promise<void> {
  if (count <= 0 || nic === 'lo') return;
  if (!s.background) {
    await run(senderArgv(address, nic, prefix, count, s), { deadline });
    return;
  }
  await run(senderArgv(address, nic, prefix, 1, s), { deadline });
  if (count > 1) spawnDetached(senderArgv(address, nic, prefix, count - 1, s));
}

/**
 * Ends the background senders of this address, found in /proc by their command line: the one
 * start left, and any a monitor's arp_count_refresh left; only this node's (its network namespace).
 * A sender that went on after the stop would claim the address for this node while another holds it.
 */
export function stopAnnouncers(address: FloatingAddress): void {
  let senders: ProcessEntry[];
  try {
    senders = processesWhere((argv) => isAnnouncerOf(argv, address));
  } catch {
    return; // no /proc to look in: nothing can be found, nor killed safely
  }
  for (const p of senders) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Already gone between the check and the kill.
    }
  }
}

/** Whether a process's argv is send_arp or send_ua announcing `address`. */
export function isAnnouncerOf(argv: readonly string[], address: FloatingAddress): boolean {
  const [program, ...args] = argv;
  return (program === sendArpPath || program === sendUaPath) && args.includes(address.text);
}

/**
 * Gratuitous ARPs from the monitor (arp_count_refresh), with no execa load on that path. With
 * arp_bg (IPv4's default) they go on in the background, as IPaddr2 sends them: the monitor does
 * not wait count × interval; stop ends them (stopAnnouncers).
 */
export async function refreshArp(
  address: FloatingAddress,
  nic: string,
  count: number,
  s: AnnounceSettings,
  deadline: Deadline,
): Promise<void> {
  const argv = senderArgv(address, nic, 32, count, s);
  if (!s.background) {
    await query(argv, { deadline });
    return;
  }
  // A detached child's failure to start is not seen: a sender that cannot run is said here.
  accessSync(argv[0], constants.X_OK);
  spawnDetached(argv);
}
