// SPDX-License-Identifier: Apache-2.0
import { isIP } from 'node:net';
import { lookupWithin, type Lookup } from '../../lib/net/index.js';
import type { Deadline } from '../../lib/time/index.js';
import type { HostAnswer } from './score.js';

/** Where a host of host_list is pinged: its address, or why it has none (an unreachable verdict). */
export type Resolution = { readonly address: string } | { readonly unresolved: HostAnswer };

/**
 * How long names may take: what the deadline leaves once the probes have their `waitMs`. fping
 * resolves without a bound of its own, and a dead first nameserver costs glibc 5 s before the next
 * one answers: a name gets that time, as with stock, but no more than the operation can give.
 */
export function nameBudgetMs(waitMs: number, deadline: Deadline): number {
  return Math.max(100, deadline.remainingMs() - waitMs - 200);
}

/**
 * Resolves the host names among `hosts`, all at once, each within `withinMs` (`getent`, killed at
 * the limit: lib/net/lookup.ts). A silent resolver must not use up the operation and leave no
 * score at all: a name without an address in time counts as unreachable. `family` follows
 * fping's -4/-6; addresses pass through. The first address is pinged, as fping takes it.
 */
export async function resolveHosts(
  hosts: readonly string[],
  family: 0 | 4 | 6,
  withinMs: number,
  lookup?: Lookup,
): Promise<Map<string, Resolution>> {
  const resolved = await Promise.all(
    hosts.map(async (host): Promise<[string, Resolution]> => {
      if (isIP(host) !== 0) return [host, { address: host }];
      const r = await lookupWithin(host, withinMs, family, lookup);
      const first = 'addresses' in r ? r.addresses[0] : undefined;
      return [host, first !== undefined ? { address: first } : { unresolved: { reachable: false, detail: 'failed' in r ? r.failed : '' } }];
    }),
  );
  return new Map(resolved);
}
