// SPDX-License-Identifier: Apache-2.0
import { lookupWithin } from '../net/index.js';

export type LookupAll = (name: string) => Promise<string[]>;

/** The addresses `name` resolves to, or none when the resolver fails or does not answer within `limitMs`. */
export async function resolveWithin(name: string, limitMs: number, resolve?: LookupAll): Promise<string[]> {
  const r = await lookupWithin(name, limitMs, 0, resolve && ((n) => resolve(n)));
  return 'addresses' in r ? [...r.addresses] : [];
}
