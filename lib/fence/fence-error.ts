// SPDX-License-Identifier: Apache-2.0

/**
 * A failure the kit reports as `Failed: <reason>` on stderr and exit 1. The reason names the
 * failing thing and the next step, and never contains a secret.
 */
export class FenceError extends Error {
  override readonly name = 'FenceError';
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

/** The one-line reason of any error, for "Failed: <reason>". */
export function reasonOf(e: unknown): string {
  if (e instanceof FenceError) return e.reason;
  if (e instanceof Error) return e.message;
  return String(e);
}
