// SPDX-License-Identifier: Apache-2.0

/** What went wrong with one API call, with the evidence; the message never holds a credential. */
export class OutscaleApiError extends Error {
  override readonly name = 'OutscaleApiError';
  constructor(
    readonly action: string,
    readonly detail: string,
    readonly fields: {
      readonly status?: number;
      readonly code?: string;
      readonly type?: string;
      readonly requestId?: string;
      /** Throttling, a 5xx or a network failure: worth another try later. */
      readonly transient: boolean;
      /** Seconds the server asked us to wait (Retry-After). */
      readonly retryAfterS?: number;
      readonly cause?: unknown;
    },
  ) {
    super(`${action}: ${detail}`, fields.cause !== undefined ? { cause: fields.cause } : undefined);
  }

  get status(): number | undefined {
    return this.fields.status;
  }

  get code(): string | undefined {
    return this.fields.code;
  }

  /** Read by the fence kit's power loop: a transient failure while polling is retried. */
  get transient(): boolean {
    return this.fields.transient;
  }
}
