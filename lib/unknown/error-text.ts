// SPDX-License-Identifier: Apache-2.0

/** What a caught value says: an Error's message, else its text (a thrown string, number...). */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The errno code (ENOENT, EACCES...) of a caught system error, if it carries one. */
export function errnoCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  return typeof e.code === 'string' ? e.code : undefined;
}
