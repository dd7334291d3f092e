// SPDX-License-Identifier: Apache-2.0
// Request authentication: signature check against the configured accounts, the forced-401 fault, and the
// brute-force lockout (4 failures in a row lock the key for 1 minute, one more minute per lockout, up to 10).
import type { AuthConfig } from '../config.js';
import { verifySignature, type AuthFailureReason, type ReceivedRequest } from './signature.js';

export interface KeyFailures {
  consecutive: number;
  total: number;
  lockouts: number;
  lockedUntilMs: number | undefined;
}

export type AuthResult =
  | { readonly ok: true; readonly accessKey: string; readonly algorithm: string }
  | {
      readonly ok: false;
      readonly outcome: AuthFailureReason | 'locked' | 'forced-401';
      readonly detail: string;
      readonly accessKey: string | undefined;
    };

export class Authenticator {
  private readonly failures = new Map<string, KeyFailures>();

  constructor(
    private readonly accounts: ReadonlyMap<string, string>,
    private readonly region: string,
    private readonly config: AuthConfig,
  ) {}

  authenticate(request: ReceivedRequest, forceUnauthorized: boolean): AuthResult {
    if (forceUnauthorized)
      return { ok: false, outcome: 'forced-401', detail: 'authentication refused (injected fault)', accessKey: undefined };
    const nowMs = Date.now();
    const check = verifySignature(request, {
      secretKeyOf: (ak) => this.accounts.get(ak),
      region: this.region,
      services: this.config.services,
      nowMs,
      maxSkewMs: this.config.maxSkewMs,
    });
    const accessKey = check.accessKey;
    const record = accessKey === undefined ? undefined : this.recordOf(accessKey);
    if (record?.lockedUntilMs !== undefined && record.lockedUntilMs > nowMs)
      return {
        ok: false,
        outcome: 'locked',
        accessKey,
        detail:
          `access key ${accessKey} is locked for ${Math.ceil((record.lockedUntilMs - nowMs) / 1000)} s ` +
          'after repeated authentication failures',
      };
    if (check.ok) {
      if (record !== undefined) record.consecutive = 0;
      return check;
    }
    if (record !== undefined) this.countFailure(record, nowMs);
    return { ok: false, outcome: check.reason, detail: check.detail, accessKey };
  }

  /** Per access key named in a request: failure counters and lockout; never secrets. */
  snapshot(): Record<string, KeyFailures> {
    return Object.fromEntries(this.failures);
  }

  reset(): void {
    this.failures.clear();
  }

  private recordOf(accessKey: string): KeyFailures {
    let record = this.failures.get(accessKey);
    if (record === undefined) {
      record = { consecutive: 0, total: 0, lockouts: 0, lockedUntilMs: undefined };
      this.failures.set(accessKey, record);
    }
    return record;
  }

  private countFailure(record: KeyFailures, nowMs: number): void {
    record.consecutive++;
    record.total++;
    const { enabled, afterFailures, durationMs } = this.config.lockout;
    if (enabled && afterFailures > 0 && record.consecutive % afterFailures === 0) {
      record.lockouts++;
      record.lockedUntilMs = nowMs + Math.min(durationMs * record.lockouts, durationMs * 10);
    }
  }
}
