// SPDX-License-Identifier: Apache-2.0
// Announcing an IPv4 address without cap_net_raw, which SEAPATH's hardened pacemaker.service
// drops, so send_arp cannot open its packet socket there. One UDP datagram from the address to an
// on-link neighbour the kernel has not resolved makes the kernel broadcast ARP requests for that
// neighbour (mcast_solicit, 3) with the address as the sender (arp_announce 0, the default). Every
// host that has the address cached updates its entry to this node's MAC on seeing one (RFC 826's
// merge step), as from a gratuitous ARP. IPv6 has no such broadcast: a neighbour solicitation goes
// to the target's solicited-node group only, so peers find a moved IPv6 address by NUD.
import { query, type Argv } from '../../lib/exec/index.js';
import { isRecord, parseJsonOutput } from '../../lib/unknown/index.js';
import type { Deadline } from '../../lib/time/index.js';
import type { FloatingAddress } from './address.js';
import { ipv4SubnetsOn, localIPv4Addresses } from './interfaces.js';

const discardPort = 9;

/** Up to `count` other addresses of the IPv4 prefix, from below its broadcast down. */
export function solicitationCandidates(ipv4: string, prefix: number, count: number): string[] {
  const own = ipv4.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix);
  const first = own - (own % size);
  // /31 (RFC 3021) has no network or broadcast address.
  const [low, high] = prefix < 31 ? [first + 1, first + size - 2] : [first, first + size - 1];
  const out: string[] = [];
  for (let a = high; a >= low && out.length < count; a--)
    if (a !== own) out.push([24, 16, 8, 0].map((s) => String(Math.floor(a / 2 ** s) % 256)).join('.'));
  return out;
}

/**
 * Where to look for a neighbour: the address's own prefix, then the interface's other subnets (a
 * floating /32, such as SEAPATH's API address, has no neighbour in its own prefix). Never one of
 * the node's own addresses (`local`: another floating address, say): a datagram to it goes through lo
 * and makes no ARP request.
 */
export function neighbourCandidates(
  ipv4: string,
  prefix: number,
  subnets: readonly { address: string; prefix: number }[],
  local: ReadonlySet<string> = new Set(),
): string[] {
  const all = [
    ...solicitationCandidates(ipv4, prefix, 64),
    ...subnets.flatMap((s) => solicitationCandidates(s.address, s.prefix, 64).filter((a) => a !== ipv4)),
  ];
  return [...new Set(all)].filter((a) => !local.has(a));
}

/** The neighbour addresses `ip -j neigh show` lists (any state: a cached one would not be solicited). */
export function parseNeighbours(json: string): Set<string> {
  const rows = parseJsonOutput(json, 'ip -j neigh show');
  if (!Array.isArray(rows)) return new Set();
  return new Set(rows.flatMap((r: unknown) => (isRecord(r) && typeof r.dst === 'string' ? [r.dst] : [])));
}

/**
 * Makes the kernel ARP for a neighbour with the IPv4 `address` as the sender; returns the
 * neighbour, or undefined when no subnet of the interface has another address to ask for.
 */
export async function solicitFrom(address: FloatingAddress, nic: string, prefix: number, deadline: Deadline): Promise<string | undefined> {
  const argv: Argv = ['ip', '-j', '-4', 'neigh', 'show', 'dev', nic];
  const cached = parseNeighbours((await query(argv, { deadline })).stdout);
  const target = neighbourCandidates(address.text, prefix, ipv4SubnetsOn(nic, address.text), localIPv4Addresses()).find(
    (a) => !cached.has(a),
  );
  if (target === undefined) return undefined;
  await sendOneDatagram(address, target, deadline);
  return target;
}

function sendOneDatagram(from: FloatingAddress, to: string, deadline: Deadline): Promise<void> {
  const { createSocket } = process.getBuiltinModule('node:dgram');
  const socket = createSocket('udp4');
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (e?: Error) => {
      if (settled) return;
      settled = true;
      deadline.signal.removeEventListener('abort', onAbort);
      socket.close();
      if (e) reject(e);
      else resolve();
    };
    const onAbort = () => settle(new Error(`no time left to solicit ${to} from ${from.text}`));
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', settle);
    socket.bind({ address: from.text, port: 0, exclusive: true }, () => {
      socket.send(Buffer.alloc(1), discardPort, to, (e) => settle(e ?? undefined));
    });
  });
}
