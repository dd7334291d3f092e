// SPDX-License-Identifier: Apache-2.0
// What monitor needs, read from the kernel without spawning a process.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { hexToIPv6, type FloatingAddress } from './address.js';

/** Where an address was found, and in what state. */
export interface FoundAddress {
  readonly nic: string;
  readonly prefix: number;
  readonly tentative: boolean;
  readonly dadFailed: boolean;
}

const IFA_F_DADFAILED = 0x08;
const IFA_F_TENTATIVE = 0x40;

/**
 * Finds the address on this node's interfaces (/proc/net/if_inet6 for IPv6, getifaddrs(3) for
 * IPv4), on `preferNic` first (with `preferPrefix` first there: someone may have added a second
 * copy with another prefix), lo last: the same address may also sit on lo (LVS-DR) or be a leftover elsewhere.
 */
export function findAddress(address: FloatingAddress, preferNic?: string, preferPrefix?: number): FoundAddress | undefined {
  const all = address.family === 6 ? findIPv6(address.text) : findIPv4(address.text);
  // lo last: a copy there is an LVS-DR real server's, never a floating address's own place.
  return (
    all.find((f) => f.nic === preferNic && f.prefix === preferPrefix) ??
    all.find((f) => f.nic === preferNic) ??
    all.find((f) => f.nic !== 'lo') ??
    all[0]
  );
}

function findIPv4(ip: string): FoundAddress[] {
  // getifaddrs as libuv reports it leaves out interfaces that are not up and running;
  // callers that care about down links ask `ip` (see handlers.locate).
  const found: FoundAddress[] = [];
  for (const [nic, addrs] of Object.entries(networkInterfaces())) {
    for (const hit of addrs ?? [])
      if (hit.family === 'IPv4' && hit.address === ip && hit.cidr)
        found.push({ nic: nic.split(':')[0] ?? nic, prefix: Number(hit.cidr.split('/')[1]), tentative: false, dadFailed: false });
  }
  return found;
}

function findIPv6(ip: string): FoundAddress[] {
  let table: string;
  try {
    table = readFileSync('/proc/net/if_inet6', 'utf8');
  } catch {
    return [];
  }
  const found: FoundAddress[] = [];
  for (const line of table.split('\n')) {
    const [hex, , prefixHex, , flagsHex, nic] = line.trim().split(/\s+/);
    if (!hex || !nic || !prefixHex || !flagsHex || hexToIPv6(hex) !== ip) continue;
    const flags = parseInt(flagsHex, 16);
    found.push({
      nic,
      prefix: parseInt(prefixHex, 16),
      tentative: (flags & IFA_F_TENTATIVE) !== 0,
      dadFailed: (flags & IFA_F_DADFAILED) !== 0,
    });
  }
  return found;
}

/** The IPv4 subnets the interface holds addresses in (one of them each), but `except`: where its neighbours are. */
export function ipv4SubnetsOn(nic: string, except: string): { address: string; prefix: number }[] {
  return Object.entries(networkInterfaces()).flatMap(([name, addrs]) =>
    (name.split(':')[0] ?? name) !== nic
      ? []
      : (addrs ?? []).flatMap((a) =>
          a.family === 'IPv4' && a.address !== except && a.cidr ? [{ address: a.address, prefix: Number(a.cidr.split('/')[1]) }] : [],
        ),
  );
}

/** Every IPv4 address of this node on a running link (getifaddrs). */
export function localIPv4Addresses(): Set<string> {
  return new Set(
    Object.values(networkInterfaces()).flatMap((addrs) => (addrs ?? []).flatMap((a) => (a.family === 'IPv4' ? [a.address] : []))),
  );
}

/** True when a link's addresses are hidden from getifaddrs (no carrier, down, dormant): only `ip` lists them. */
export function someLinkHidden(): boolean {
  try {
    return readdirSync('/sys/class/net').some((nic) => !linkIsRunning(nic));
  } catch {
    return false;
  }
}

export function linkExists(nic: string): boolean {
  return existsSync(`/sys/class/net/${nic}`);
}

function operstate(nic: string): string | undefined {
  try {
    return readFileSync(`/sys/class/net/${nic}/operstate`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** True unless the kernel says the link is down (IPaddr2's check_link_status). `unknown` counts as up. */
export function linkIsUp(nic: string): boolean {
  const state = operstate(nic);
  return state !== undefined && state !== 'down' && state !== 'lowerlayerdown';
}

/**
 * True when getifaddrs reports the interface's addresses (IFF_UP and IFF_RUNNING): not for a link
 * without carrier, down, or dormant, whose addresses only `ip` lists.
 */
export function linkIsRunning(nic: string): boolean {
  const state = operstate(nic);
  return state === 'up' || state === 'unknown';
}

/**
 * Whether the link has carrier now: /sys/class/net/NIC/carrier follows the driver at once, where
 * operstate lags by up to a second after `ip link set up`. Falls back to operstate when unreadable.
 */
export function linkHasCarrier(nic: string): boolean {
  try {
    return readFileSync(`/sys/class/net/${nic}/carrier`, 'utf8').trim() === '1';
  } catch {
    return linkIsUp(nic);
  }
}

/** The administrative flag IFF_UP (`ip link set up`), whatever the carrier. */
export function linkIsAdminUp(nic: string): boolean {
  try {
    return (parseInt(readFileSync(`/sys/class/net/${nic}/flags`, 'utf8').trim(), 16) & 0x1) !== 0;
  } catch {
    return false;
  }
}
