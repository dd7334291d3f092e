// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';

/** linux/capability.h: interface addresses, links and routes. */
export const CAP_NET_ADMIN = 12;
/** linux/capability.h: raw and packet sockets (ARP, ICMP echo as root). */
export const CAP_NET_RAW = 13;

/**
 * Whether this process holds capability `bit` in its effective set. A hardened service drops
 * some for good (SEAPATH's pacemaker.service: CapabilityBoundingSet without cap_net_raw), and
 * every agent under it inherits that.
 */
export function hasCapability(bit: number): boolean {
  return effectiveHas(readFileSync('/proc/self/status', 'utf8'), bit);
}

/** Reads the CapEff line of a /proc/PID/status text. */
export function effectiveHas(status: string, bit: number): boolean {
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  return m !== null && ((BigInt(`0x${m[1]}`) >> BigInt(bit)) & 1n) === 1n;
}
