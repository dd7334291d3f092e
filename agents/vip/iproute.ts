// SPDX-License-Identifier: Apache-2.0
// The iproute2 calls of start and stop; monitor reads the kernel directly (interfaces.ts), but for
// an address on a link without carrier (prefixOnLink), which it asks `ip` about through `query`.
import { query, run } from '../../lib/exec/index.js';
import { isRecord, parseJsonOutput } from '../../lib/unknown/index.js';
import type { Deadline } from '../../lib/time/index.js';
import type { Family, FloatingAddress } from './address.js';

/** Where start puts the address; saved so monitor and stop never re-detect. */
export interface Placement {
  readonly nic: string;
  readonly prefix: number;
  readonly family: Family;
}

export interface AddOptions {
  readonly broadcast?: string | undefined;
  readonly label?: string | undefined;
  readonly preferredLft?: string | undefined;
  readonly nodad: boolean;
  readonly noprefixroute: boolean;
}

interface RouteJson {
  readonly dst?: unknown;
  readonly dev?: unknown;
  readonly metric?: unknown;
  readonly type?: unknown;
  readonly gateway?: unknown;
}

/**
 * The most specific directly connected route covering the address (findif: `scope link` for
 * IPv4, and never a route through a gateway): its device and prefix length. With a prefix
 * (cidr_netmask), only routes covering the whole address/prefix network count, as findif matches
 * `ip/cidr_netmask`: a narrower route on another interface is not the address's network.
 */
export async function routeFor(
  address: FloatingAddress,
  nic: string | undefined,
  deadline: Deadline,
  prefix?: number,
): Promise<{ nic: string; prefix: number } | undefined> {
  const argv = [
    'ip',
    '-j',
    `-${address.family}`,
    'route',
    'list',
    'match',
    prefix !== undefined ? `${address.text}/${prefix}` : address.text,
    ...(address.family === 4 ? ['scope', 'link'] : []),
    ...(nic ? ['dev', nic] : []),
  ] as const;
  const { stdout } = await query(argv, { deadline });
  const routes = parseRoutes(stdout).filter((r) => r.prefix !== undefined && (nic === undefined || r.nic === nic || r.nic === undefined));
  routes.sort((a, b) => (b.prefix ?? 0) - (a.prefix ?? 0) || a.metric - b.metric);
  const best = routes[0];
  if (!best || best.prefix === undefined) return undefined;
  return { nic: best.nic ?? nic ?? '', prefix: best.prefix };
}

/** Typed view of `ip -j route list` output; default, blackhole, unreachable and gatewayed routes are dropped. */
export function parseRoutes(json: string): { nic: string | undefined; prefix: number | undefined; metric: number }[] {
  const parsed = parseJsonOutput(json, 'ip -j route list');
  if (!Array.isArray(parsed)) return [];
  return (parsed as RouteJson[])
    .filter(
      (r) =>
        typeof r.dst === 'string' &&
        r.dst !== 'default' &&
        r.gateway === undefined &&
        !['blackhole', 'unreachable', 'prohibit'].includes(String(r.type ?? '')),
    )
    .map((r) => {
      const dst = String(r.dst);
      const prefix = dst.includes('/') ? Number(dst.split('/')[1]) : dst.includes(':') ? 128 : 32;
      return { nic: typeof r.dev === 'string' ? r.dev : undefined, prefix, metric: typeof r.metric === 'number' ? r.metric : 0 };
    });
}

export async function addAddress(address: FloatingAddress, placement: Placement, options: AddOptions, deadline: Deadline): Promise<void> {
  const argv: string[] = ['ip', `-${address.family}`, 'address', 'add', `${address.text}/${placement.prefix}`];
  if (address.family === 4) argv.push('broadcast', options.broadcast ?? '+');
  argv.push('dev', placement.nic);
  if (address.family === 4 && options.label) argv.push('label', options.label);
  if (options.noprefixroute) argv.push('noprefixroute');
  if (address.family === 6) {
    if (options.nodad) argv.push('nodad');
    if (options.preferredLft) argv.push('preferred_lft', options.preferredLft);
  }
  await run(argv as [string, ...string[]], { deadline });
}

export async function deleteAddress(address: FloatingAddress, nic: string, prefix: number, deadline: Deadline): Promise<void> {
  await run(['ip', `-${address.family}`, 'address', 'delete', `${address.text}/${prefix}`, 'dev', nic], { deadline });
}

/** IPaddr2's flush_routes: `ip route flush cache` after the address is gone. */
export async function flushRouteCache(deadline: Deadline): Promise<void> {
  await run(['ip', 'route', 'flush', 'cache'], { deadline });
}

/** lvs_ipv6_addrlabel: a label that keeps the kernel from choosing the address as a source. */
export async function addAddressLabel(address: FloatingAddress, label: number, deadline: Deadline): Promise<void> {
  await run(['ip', '-6', 'addrlabel', 'add', 'prefix', `${address.text}/128`, 'label', String(label)], { deadline });
}

export async function deleteAddressLabel(address: FloatingAddress, label: number, deadline: Deadline): Promise<void> {
  await run(['ip', '-6', 'addrlabel', 'del', 'prefix', `${address.text}/128`, 'label', String(label)], { deadline });
}

export async function setLinkUp(nic: string, deadline: Deadline): Promise<void> {
  await run(['ip', 'link', 'set', 'dev', nic, 'up'], { deadline });
}

interface AddressInfo {
  readonly local?: unknown;
  readonly prefixlen?: unknown;
  readonly scope?: unknown;
}

/** What `ip -j address show dev NIC` lists of the link's addresses (of one family when given). */
async function addressInfoOn(nic: string, family: Family | undefined, deadline: Deadline): Promise<AddressInfo[]> {
  const argv: [string, ...string[]] = ['ip', '-j', ...(family ? [`-${family}`] : []), 'address', 'show', 'dev', nic];
  const { stdout } = await query(argv, { deadline });
  const links = parseJsonOutput(stdout, 'ip -j address show');
  if (!Array.isArray(links)) return [];
  return links.flatMap((l: unknown) => (isRecord(l) && Array.isArray(l.addr_info) ? l.addr_info.filter(isRecord) : []));
}

/** The addresses on a link, link-local ones aside (the kernel adds those itself when it comes up). */
export async function addressesOn(nic: string, deadline: Deadline): Promise<string[]> {
  return (await addressInfoOn(nic, undefined, deadline))
    .filter((a) => a.scope !== 'link')
    .map((a) => `${String(a.local)}/${String(a.prefixlen)}`)
    .sort();
}

/**
 * Undoes setLinkUp when the start that brought the link up fails, unless the link carries other
 * addresses than before (another resource started on it meanwhile: it is theirs now). Returns whether it did.
 */
export async function setLinkDownIfUnchanged(nic: string, before: readonly string[], deadline: Deadline): Promise<boolean> {
  const now = await addressesOn(nic, deadline);
  if (now.some((a) => !before.includes(a))) return false;
  await run(['ip', 'link', 'set', 'dev', nic, 'down'], { deadline });
  return true;
}

/** The address's prefix if `ip` lists it on the interface: for down links, which getifaddrs leaves out. */
export async function prefixOnLink(
  address: FloatingAddress,
  nic: string,
  deadline: Deadline,
  preferPrefix?: number,
): Promise<number | undefined> {
  const copies = (await addressInfoOn(nic, address.family, deadline)).filter((a) => a.local === address.text);
  const found = copies.find((a) => a.prefixlen === preferPrefix) ?? copies[0];
  return typeof found?.prefixlen === 'number' ? found.prefixlen : undefined;
}
