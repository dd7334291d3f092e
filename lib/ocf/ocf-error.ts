// SPDX-License-Identifier: Apache-2.0
import type { OcfCode } from './exit-codes.js';

/** Thrown by handlers: the kit turns it into the exit code and the `ocf-exit-reason:` line. */
export class OcfError extends Error {
  override readonly name = 'OcfError';
  constructor(
    readonly code: OcfCode,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}
