// SPDX-License-Identifier: Apache-2.0
// Injected faults: set from the config at start and replaced at run time through POST /_sim/faults.
import { isOperation, type Operation } from './operations-list.js';
import {
  InvalidInput,
  expectObject,
  optionalBoolean,
  optionalNumber,
  optionalStringArray,
  rejectUnknownKeys,
  type JsonObject,
} from '../json.js';

/** `forever` never answers; `{afterMs}` answers normally after that delay. */
export type Hang = 'forever' | { readonly afterMs: number };

export type FailureStatus = 429 | 503 | 500;

export interface Failures {
  /** Requests still to fail before the operation succeeds again. */
  remaining: number;
  readonly status: FailureStatus;
  /** For 429: "24" per account or "25" per call (default). */
  readonly code: '24' | '25' | undefined;
}

export interface OperationFaults {
  readonly latencyMs: number;
  readonly hang: Hang | undefined;
  readonly failures: Failures | undefined;
}

export type MetadataBehaviour = 'answer' | 'hang' | 'not-found';

/**
 * The proxy listener: tunnels (CONNECT) and forwards; or answers 407 Proxy Authentication Required to
 * everything; or only forwards requests whose Proxy-Authorization holds this user and password.
 */
export type ProxyBehaviour = 'forward' | '407' | { readonly user: string; readonly password: string };

export interface Faults {
  readonly latencyMs: number;
  readonly hang: Hang | undefined;
  /** Per operation; the key "*" applies to every operation (its failure counter is shared). */
  readonly operations: Partial<Record<Operation | '*', OperationFaults>>;
  readonly alwaysUnauthorized: boolean;
  readonly neverStopVmIds: readonly string[];
  /** Applied once when the faults are set: these VMs become terminated at once. */
  readonly terminateVmIds: readonly string[];
  readonly metadata: MetadataBehaviour;
  /**
   * VM ID -> how many more ReadVms answers show that VM `stopped` whatever its state: a stale
   * cache or a forged answer. Counted per answer that includes the VM.
   */
  readonly staleStopped: Map<string, number>;
  readonly proxy: ProxyBehaviour;
}

export const noFaults: Faults = {
  latencyMs: 0,
  hang: undefined,
  operations: {},
  alwaysUnauthorized: false,
  neverStopVmIds: [],
  terminateVmIds: [],
  metadata: 'answer',
  staleStopped: new Map(),
  proxy: 'forward',
};

export function parseFaults(value: unknown, where = 'faults'): Faults {
  const o = expectObject(value, where);
  rejectUnknownKeys(
    o,
    ['latencyMs', 'hang', 'operations', 'alwaysUnauthorized', 'neverStopVmIds', 'terminateVmIds', 'metadata', 'staleStopped', 'proxy'],
    where,
  );
  const operations: Partial<Record<Operation | '*', OperationFaults>> = {};
  if (o.operations !== undefined) {
    const ops = expectObject(o.operations, `${where}.operations`);
    for (const [name, spec] of Object.entries(ops)) {
      if (name !== '*' && !isOperation(name)) throw new InvalidInput(`${where}.operations`, `unknown operation "${name}"`);
      operations[name] = parseOperationFaults(spec, `${where}.operations.${name}`);
    }
  }
  const metadata = o.metadata ?? 'answer';
  if (metadata !== 'answer' && metadata !== 'hang' && metadata !== 'not-found')
    throw new InvalidInput(`${where}.metadata`, 'expected "answer", "hang" or "not-found"');
  const proxy = parseProxyBehaviour(o.proxy ?? 'forward', `${where}.proxy`);
  const staleStopped = new Map<string, number>();
  if (o.staleStopped !== undefined)
    for (const [vmId, count] of Object.entries(expectObject(o.staleStopped, `${where}.staleStopped`))) {
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
        throw new InvalidInput(`${where}.staleStopped.${vmId}`, 'expected a count of ReadVms answers');
      staleStopped.set(vmId, count);
    }
  return {
    latencyMs: optionalNumber(o, 'latencyMs', where) ?? 0,
    hang: parseHang(o, where),
    operations,
    alwaysUnauthorized: optionalBoolean(o, 'alwaysUnauthorized', where) ?? false,
    neverStopVmIds: optionalStringArray(o, 'neverStopVmIds', where) ?? [],
    terminateVmIds: optionalStringArray(o, 'terminateVmIds', where) ?? [],
    metadata,
    staleStopped,
    proxy,
  };
}

function parseOperationFaults(value: unknown, where: string): OperationFaults {
  const o = expectObject(value, where);
  rejectUnknownKeys(o, ['latencyMs', 'hang', 'failures'], where);
  return { latencyMs: optionalNumber(o, 'latencyMs', where) ?? 0, hang: parseHang(o, where), failures: parseFailures(o, where) };
}

function parseHang(o: JsonObject, where: string): Hang | undefined {
  const v = o.hang;
  if (v === undefined || v === null) return undefined;
  if (v === 'forever') return 'forever';
  const h = expectObject(v, `${where}.hang`);
  rejectUnknownKeys(h, ['afterMs'], `${where}.hang`);
  const afterMs = optionalNumber(h, 'afterMs', `${where}.hang`);
  if (afterMs === undefined) throw new InvalidInput(`${where}.hang`, 'expected "forever" or {"afterMs": N}');
  return { afterMs };
}

function parseFailures(o: JsonObject, where: string): Failures | undefined {
  if (o.failures === undefined) return undefined;
  const f = expectObject(o.failures, `${where}.failures`);
  rejectUnknownKeys(f, ['count', 'status', 'code'], `${where}.failures`);
  const count = optionalNumber(f, 'count', `${where}.failures`) ?? 1;
  const status = f.status;
  if (status !== 429 && status !== 503 && status !== 500) throw new InvalidInput(`${where}.failures.status`, 'expected 429, 503 or 500');
  const code = f.code;
  if (code !== undefined && !(status === 429 && (code === '24' || code === '25')))
    throw new InvalidInput(`${where}.failures.code`, 'only 429 takes a code: "24" (per account) or "25" (per call)');
  return { remaining: Math.floor(count), status, code };
}

function parseProxyBehaviour(value: unknown, where: string): ProxyBehaviour {
  if (value === 'forward' || value === '407') return value;
  const p = expectObject(value, where);
  rejectUnknownKeys(p, ['user', 'password'], where);
  const user = p.user;
  const password = p.password;
  if (typeof user !== 'string' || typeof password !== 'string')
    throw new InvalidInput(where, 'expected "forward", "407" or {"user","password"}');
  return { user, password };
}
