// SPDX-License-Identifier: Apache-2.0

/** JSON a program printed: undefined for no output, an Error naming `what` for anything else not JSON. */
export function parseJsonOutput(text: string, what: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${what} printed something that is not JSON: ${text.slice(0, 120)}`);
  }
}
