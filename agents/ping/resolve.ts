// SPDX-License-Identifier: Apache-2.0
import { isIP } from 'node:net';
import { lookupWithin, type Lookup } from '../../lib/net/index.js';
import type { HostAnswer } from './score.js';

/** Where a host of host_list is pinged: its address, or why it has none (an unreachable verdict). */
export type Resolution = { readonly address: string } | { readonly unresolved: HostAnswer };

/**
 * Resolves the host names among `hosts` in this process, all at once, each within `withinMs`:
 * fping resolves names one after another before sending anything, with no bound of its own, so
 * a silent resolver would use up the operation and leave no score at all. A name without an
 * address in time counts as unreachable. `family` follows fping's -4/-6; addresses pass through.
 * The first address is pinged, as fping takes it.
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
