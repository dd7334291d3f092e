// SPDX-License-Identifier: Apache-2.0
// What the simulator received and answered, for tests to assert on (GET /_sim/log, --log-file JSON lines).
// Holds request bodies and auth outcomes, never secret keys or signatures.
import { appendFileSync } from 'node:fs';

export type AuthOutcome = 'ok' | 'not-checked' | 'locked' | 'forced-401' | string;

export interface SchemaViolation {
  readonly path: string;
  readonly message: string;
}

export interface RequestLogEntry {
  readonly seq: number;
  readonly time: string;
  readonly method: string;
  readonly path: string;
  readonly operation: string | undefined;
  accessKey: string | undefined;
  algorithm: string | undefined;
  signedHeaders: readonly string[] | undefined;
  body: unknown;
  auth: AuthOutcome;
  authDetail: string | undefined;
  schemaViolations: readonly SchemaViolation[] | undefined;
  /** The injected fault that shaped the answer, if any: latency, hang, failure. */
  fault: string | undefined;
  /** null while unanswered (a hang). */
  status: number | null;
  errorCode: string | undefined;
  durationMs: number | undefined;
  /** Proxy requests (CONNECT, absolute-form): the user of Proxy-Authorization, never its password. */
  proxyUser?: string | undefined;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly file: string | undefined) {}

  begin(method: string, path: string, operation: string | undefined): RequestLogEntry {
    const entry: RequestLogEntry = {
      seq: ++this.seq,
      time: new Date().toISOString(),
      method,
      path,
      operation,
      accessKey: undefined,
      algorithm: undefined,
      signedHeaders: undefined,
      body: undefined,
      auth: 'not-checked',
      authDetail: undefined,
      schemaViolations: undefined,
      fault: undefined,
      status: null,
      errorCode: undefined,
      durationMs: undefined,
    };
    this.entries.push(entry);
    return entry;
  }

  /** Records the answer and appends the entry to the log file. A hang calls this with status null. */
  finish(entry: RequestLogEntry, status: number | null, errorCode?: string): void {
    entry.status = status;
    entry.errorCode = errorCode;
    entry.durationMs = Date.now() - Date.parse(entry.time);
    if (this.file !== undefined) appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  list(): readonly RequestLogEntry[] {
    return this.entries;
  }

  clear(): void {
    this.entries = [];
  }
}
