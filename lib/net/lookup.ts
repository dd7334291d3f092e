// SPDX-License-Identifier: Apache-2.0
/** Resolves a name to its addresses of `family` (0: any), in getaddrinfo's order. */
export type Lookup = (name: string, family: 0 | 4 | 6) => Promise<string[]>;

// node:dns is loaded at the first lookup, not with the agents: loaded in the startup snapshot, it
// sets up a c-ares channel (resolv.conf, nsswitch.conf) in every run, monitors included.
const systemLookup: Lookup = async (name, family) =>
  (await process.getBuiltinModule('node:dns/promises').lookup(name, { all: true, family })).map((a) => a.address);

/** A name's addresses, or why it has none. */
export type Resolved = { readonly addresses: readonly string[] } | { readonly failed: string };

/**
 * Resolves `name` within `limitMs`: getaddrinfo has no timeout of its own, and a dead DNS server
 * must not eat an action. A failure says why, in getaddrinfo's words where it has some.
 */
export async function lookupWithin(name: string, limitMs: number, family: 0 | 4 | 6 = 0, lookup: Lookup = systemLookup): Promise<Resolved> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<Resolved>((done) => {
    timer = setTimeout(() => done({ failed: `the name did not resolve within ${Math.round(limitMs)} ms` }), Math.max(0, limitMs));
    timer.unref();
  });
  const answer = lookup(name, family).then(
    (addresses): Resolved => (addresses.length > 0 ? { addresses } : { failed: 'no address' }),
    (e: unknown): Resolved => ({ failed: lookupError(e) }),
  );
  try {
    return await Promise.race([answer, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function lookupError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND') return 'Name or service not known';
  if (code === 'EAI_AGAIN') return 'Temporary failure in name resolution';
  return e instanceof Error ? e.message : String(e);
}
