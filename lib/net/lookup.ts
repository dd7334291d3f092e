// SPDX-License-Identifier: Apache-2.0
import { isIP, type LookupFunction } from 'node:net';
import { ExecFailed, query } from '../exec/index.js';
import { Deadline } from '../time/index.js';
import { errnoCode, messageOf } from '../unknown/index.js';

/** Resolves a name to its addresses of `family` (0: any), in getaddrinfo's order. */
export type Lookup = (name: string, family: 0 | 4 | 6) => Promise<string[]>;

/** A name's addresses, or why it has none (`notFound`: the resolver said so, rather than not answering in time). */
export type Resolved = { readonly addresses: readonly string[] } | { readonly failed: string; readonly notFound: boolean };

const getentDatabase = { 0: 'ahosts', 4: 'ahostsv4', 6: 'ahostsv6' } as const;

/**
 * getaddrinfo in a child, `getent ahosts`, not in this process: Node runs it on a libuv thread
 * that cannot be cancelled, and its exit waits for that thread, so a silent DNS server would hold
 * the agent past its deadline. A child is killed at the limit.
 */
function getentLookup(limitMs: number): Lookup {
  return async (name, family) => {
    // '--': a host name may begin with '-' (a URL allows it), which getent would take for an option.
    const r = await query(['getent', getentDatabase[family], '--', name], { deadline: Deadline.after(limitMs), okExitCodes: [2] });
    if (r.exitCode === 2) throw Object.assign(new Error(`getent: ${name} not found`), { code: 'ENOTFOUND' });
    return parseGetentHosts(r.stdout, family);
  };
}

/** `getent ahosts` lines (address, socket type, canonical name): each address once, in order; v4-mapped ones dropped for 6. */
export function parseGetentHosts(stdout: string, family: 0 | 4 | 6): string[] {
  const addresses = stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((a) => a !== '' && !(family === 6 && /^::ffff:\d/i.test(a)));
  return [...new Set(addresses)];
}

/**
 * Resolves `name` within `limitMs`: getaddrinfo has no timeout of its own, and a dead DNS server
 * must not eat an action. A failure says why, in getaddrinfo's words where it has some.
 */
export async function lookupWithin(name: string, limitMs: number, family: 0 | 4 | 6 = 0, lookup?: Lookup): Promise<Resolved> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<Resolved>((done) => {
    timer = setTimeout(
      () => done({ failed: `the name did not resolve within ${Math.round(limitMs)} ms`, notFound: false }),
      Math.max(0, limitMs),
    );
    timer.unref();
  });
  const answer = (lookup ?? getentLookup(limitMs))(name, family).then(
    (addresses): Resolved => (addresses.length > 0 ? { addresses } : { failed: 'no address', notFound: true }),
    (e: unknown): Resolved => ({ failed: lookupError(e, limitMs), notFound: errnoCode(e) === 'ENOTFOUND' }),
  );
  try {
    return await Promise.race([answer, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function lookupError(e: unknown, limitMs: number): string {
  if (e instanceof ExecFailed && e.timedOut) return `the name did not resolve within ${Math.round(limitMs)} ms`;
  const code = errnoCode(e);
  if (code === 'ENOTFOUND') return 'Name or service not known';
  if (code === 'EAI_AGAIN') return 'Temporary failure in name resolution';
  return messageOf(e);
}

/**
 * A `lookup` for net.connect or http.request that hands over addresses already resolved (by
 * lookupWithin): the connection still tries them as it would its own (happy eyeballs).
 */
export function fixedLookup(addresses: readonly string[]): LookupFunction {
  return (_name, options, callback) => {
    if (options.all)
      callback(
        null,
        addresses.map((address) => ({ address, family: isIP(address) })),
      );
    else callback(null, addresses[0] ?? '', isIP(addresses[0] ?? ''));
  };
}
