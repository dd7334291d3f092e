// SPDX-License-Identifier: Apache-2.0
export type LookupAll = (name: string) => Promise<string[]>;

// node:dns is loaded at the first lookup, not with the agents: loaded in the startup snapshot, it
// sets up a c-ares channel (resolv.conf, nsswitch.conf) in every run, monitors included.
const systemLookup: LookupAll = async (name) =>
  (await process.getBuiltinModule('node:dns/promises').lookup(name, { all: true })).map((a) => a.address);

/**
 * The addresses `name` resolves to, or none when the resolver fails or does not answer within
 * `limitMs`: getaddrinfo has no timeout of its own, and a dead DNS server must not eat an action.
 */
export async function resolveWithin(name: string, limitMs: number, resolve: LookupAll = systemLookup): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<string[]>((done) => {
    timer = setTimeout(() => done([]), Math.max(0, limitMs));
    timer.unref();
  });
  try {
    return await Promise.race([resolve(name).catch(() => [] as string[]), expired]);
  } finally {
    clearTimeout(timer);
  }
}
