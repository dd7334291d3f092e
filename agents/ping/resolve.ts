// SPDX-License-Identifier: Apache-2.0
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { HostAnswer } from './score.js';

/** Where a host of host_list is pinged: its address, or why it has none (an unreachable verdict). */
export type Resolution = { readonly address: string } | { readonly unresolved: HostAnswer };

/**
 * Resolves the host names among `hosts` in this process, all at once, each within `withinMs`:
 * fping resolves names one after another before sending anything, with no bound of its own, so
 * a silent resolver would use up the operation and leave no score at all. A name without an
 * address in time counts as unreachable. `family` follows fping's -4/-6; addresses pass through.
 */
export async function resolveHosts(
  hosts: readonly string[],
  family: 0 | 4 | 6,
  withinMs: number,
  lookUp: (name: string, family: 0 | 4 | 6) => Promise<string> = lookUpFirst,
): Promise<Map<string, Resolution>> {
  const resolved = await Promise.all(
    hosts.map(async (host): Promise<[string, Resolution]> => {
      if (isIP(host) !== 0) return [host, { address: host }];
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<Resolution>((resolve) => {
        timer = setTimeout(
          () => resolve({ unresolved: { reachable: false, detail: `the name did not resolve within ${withinMs} ms` } }),
          withinMs,
        );
      });
      const answer = lookUp(host, family).then(
        (address): Resolution => ({ address }),
        (e: unknown): Resolution => ({ unresolved: { reachable: false, detail: nameError(e) } }),
      );
      try {
        return [host, await Promise.race([answer, late])];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return new Map(resolved);
}

// The first address getaddrinfo gives, as fping takes it.
async function lookUpFirst(name: string, family: 0 | 4 | 6): Promise<string> {
  return (await lookup(name, { family, order: 'verbatim' })).address;
}

function nameError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND') return 'Name or service not known';
  if (code === 'EAI_AGAIN') return 'Temporary failure in name resolution';
  return e instanceof Error ? e.message : String(e);
}
