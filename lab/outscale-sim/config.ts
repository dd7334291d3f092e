// SPDX-License-Identifier: Apache-2.0
// The simulator's JSON config file: region, accounts, auth rules, VMs (state, tags, timings, hooks), metadata, faults.
import { readFileSync } from 'node:fs';
import { parseFaults, type Faults } from './api/faults.js';
import {
  InvalidInput,
  expectObject,
  optionalArray,
  optionalBoolean,
  optionalNumber,
  optionalString,
  optionalStringArray,
  rejectUnknownKeys,
  requiredString,
  type JsonObject,
} from './json.js';
import { isShutdownBehavior, isVmStateName, vmIdPattern, type ShutdownBehavior, type VmStateName } from './fleet/vm-states.js';

export interface Timings {
  /** How long `stopping` (and `shutting-down`) lasts after a graceful StopVms. */
  readonly stopMs: number;
  /** How long `stopping` lasts after StopVms with ForceStop. */
  readonly forceStopMs: number;
  /** How long `pending` lasts after StartVms. */
  readonly startMs: number;
}

export interface VmHooks {
  /** argv run when the VM reaches `stopped` (e.g. kill the lab node it stands for). */
  readonly onStopped: readonly string[] | undefined;
  /** argv run when the VM reaches `running` (bring the lab node back). */
  readonly onRunning: readonly string[] | undefined;
}

export interface VmConfig {
  readonly vmId: string;
  readonly state: VmStateName;
  readonly tags: Readonly<Record<string, string>>;
  readonly privateIp: string | undefined;
  readonly subregionName: string;
  readonly vmType: string;
  readonly shutdownBehavior: ShutdownBehavior;
  readonly timings: Timings;
  readonly hooks: VmHooks;
}

export interface AuthConfig {
  readonly maxSkewMs: number;
  /** Services accepted in the credential scope (the SDKs use "api" or "oapi"). */
  readonly services: readonly string[];
  /** The real cloud locks a key after 4 bad signatures in a row, for 1 minute at first. */
  readonly lockout: { readonly enabled: boolean; readonly afterFailures: number; readonly durationMs: number };
}

export interface SimConfig {
  readonly region: string;
  /** access key -> secret key. Never logged, never served. */
  readonly accounts: ReadonlyMap<string, string>;
  readonly auth: AuthConfig;
  readonly vms: readonly VmConfig[];
  readonly metadata: { readonly instanceId: string | undefined };
  /** ReadVms paging: the page without ResultsPerPage (100) and the most one answer holds (1000). */
  readonly paging: { readonly defaultResultsPerPage: number; readonly maxResultsPerPage: number };
  /** The raw faults section, parsed again at every reset so that failure counters start over. */
  readonly initialFaults: unknown;
}

export const defaultTimings: Timings = { stopMs: 2000, forceStopMs: 1000, startMs: 2000 };

export function loadConfig(path: string): SimConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidInput(path, `cannot read the config file (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InvalidInput(path, `not valid JSON (${(e as Error).message})`);
  }
  return parseConfig(json);
}

export function parseConfig(value: unknown): SimConfig {
  const o = expectObject(value, 'config');
  rejectUnknownKeys(o, ['region', 'accounts', 'auth', 'timings', 'vms', 'metadata', 'faults', 'paging'], 'config');
  const timings = parseTimings(o.timings, 'config.timings', defaultTimings);
  const vms = (optionalArray(o, 'vms', 'config') ?? []).map((v, i) => parseVm(v, `config.vms[${i}]`, timings));
  const ids = new Set<string>();
  for (const vm of vms) {
    if (ids.has(vm.vmId)) throw new InvalidInput('config.vms', `duplicate VM ID ${vm.vmId}`);
    ids.add(vm.vmId);
  }
  const metadata = o.metadata === undefined ? {} : expectObject(o.metadata, 'config.metadata');
  rejectUnknownKeys(metadata, ['instanceId'], 'config.metadata');
  if (o.faults !== undefined) parseFaults(o.faults, 'config.faults');
  return {
    region: optionalString(o, 'region', 'config') ?? 'eu-west-2',
    accounts: parseAccounts(o),
    auth: parseAuth(o.auth),
    vms,
    metadata: { instanceId: optionalString(metadata, 'instanceId', 'config.metadata') },
    paging: parsePaging(o.paging),
    initialFaults: o.faults ?? {},
  };
}

function parsePaging(value: unknown): SimConfig['paging'] {
  const o = value === undefined ? {} : expectObject(value, 'config.paging');
  rejectUnknownKeys(o, ['defaultResultsPerPage', 'maxResultsPerPage'], 'config.paging');
  const paging = {
    defaultResultsPerPage: optionalNumber(o, 'defaultResultsPerPage', 'config.paging') ?? 100,
    maxResultsPerPage: optionalNumber(o, 'maxResultsPerPage', 'config.paging') ?? 1000,
  };
  for (const [k, v] of Object.entries(paging))
    if (!Number.isInteger(v) || v < 1 || v > 1000) throw new InvalidInput(`config.paging.${k}`, 'expected 1 to 1000');
  return paging;
}

/** A fresh copy of the configured faults (counters at their configured values). */
export function initialFaultsOf(config: SimConfig): Faults {
  return parseFaults(config.initialFaults, 'config.faults');
}

function parseAccounts(o: JsonObject): Map<string, string> {
  const accounts = new Map<string, string>();
  (optionalArray(o, 'accounts', 'config') ?? []).forEach((a, i) => {
    const where = `config.accounts[${i}]`;
    const account = expectObject(a, where);
    rejectUnknownKeys(account, ['accessKey', 'secretKey'], where);
    accounts.set(requiredString(account, 'accessKey', where), requiredString(account, 'secretKey', where));
  });
  return accounts;
}

function parseAuth(value: unknown): AuthConfig {
  const o = value === undefined ? {} : expectObject(value, 'config.auth');
  rejectUnknownKeys(o, ['maxSkewSeconds', 'services', 'lockout'], 'config.auth');
  const lockout = o.lockout === undefined ? {} : expectObject(o.lockout, 'config.auth.lockout');
  rejectUnknownKeys(lockout, ['enabled', 'afterFailures', 'durationMs'], 'config.auth.lockout');
  return {
    maxSkewMs: (optionalNumber(o, 'maxSkewSeconds', 'config.auth') ?? 300) * 1000,
    services: optionalStringArray(o, 'services', 'config.auth') ?? ['api'],
    lockout: {
      enabled: optionalBoolean(lockout, 'enabled', 'config.auth.lockout') ?? true,
      afterFailures: optionalNumber(lockout, 'afterFailures', 'config.auth.lockout') ?? 4,
      durationMs: optionalNumber(lockout, 'durationMs', 'config.auth.lockout') ?? 60_000,
    },
  };
}

function parseTimings(value: unknown, where: string, base: Timings): Timings {
  if (value === undefined) return base;
  const o = expectObject(value, where);
  rejectUnknownKeys(o, ['stopMs', 'forceStopMs', 'startMs'], where);
  return {
    stopMs: optionalNumber(o, 'stopMs', where) ?? base.stopMs,
    forceStopMs: optionalNumber(o, 'forceStopMs', where) ?? base.forceStopMs,
    startMs: optionalNumber(o, 'startMs', where) ?? base.startMs,
  };
}

function parseVm(value: unknown, where: string, timings: Timings): VmConfig {
  const o = expectObject(value, where);
  rejectUnknownKeys(o, ['vmId', 'state', 'tags', 'privateIp', 'subregionName', 'vmType', 'shutdownBehavior', 'timings', 'hooks'], where);
  const vmId = requiredString(o, 'vmId', where);
  if (!vmIdPattern.test(vmId)) throw new InvalidInput(`${where}.vmId`, `"${vmId}" is not a VM ID (i- and 8 to 17 hex digits)`);
  const state = o.state ?? 'running';
  if (!isVmStateName(state)) throw new InvalidInput(`${where}.state`, `unknown VM state ${JSON.stringify(state)}`);
  const shutdownBehavior = o.shutdownBehavior ?? 'stop';
  if (!isShutdownBehavior(shutdownBehavior)) throw new InvalidInput(`${where}.shutdownBehavior`, 'expected stop, restart or terminate');
  const tags: Record<string, string> = {};
  if (o.tags !== undefined)
    for (const [k, v] of Object.entries(expectObject(o.tags, `${where}.tags`))) {
      if (typeof v !== 'string') throw new InvalidInput(`${where}.tags.${k}`, 'tag values are strings');
      tags[k] = v;
    }
  return {
    vmId,
    state,
    tags,
    privateIp: optionalString(o, 'privateIp', where),
    subregionName: optionalString(o, 'subregionName', where) ?? 'eu-west-2a',
    vmType: optionalString(o, 'vmType', where) ?? 'tinav5.c1r1p2',
    shutdownBehavior,
    timings: parseTimings(o.timings, `${where}.timings`, timings),
    hooks: parseHooks(o.hooks, `${where}.hooks`),
  };
}

function parseHooks(value: unknown, where: string): VmHooks {
  if (value === undefined) return { onStopped: undefined, onRunning: undefined };
  const o = expectObject(value, where);
  rejectUnknownKeys(o, ['onStopped', 'onRunning'], where);
  const argv = (key: string): string[] | undefined => {
    const a = optionalStringArray(o, key, where);
    if (a !== undefined && a.length === 0) throw new InvalidInput(`${where}.${key}`, 'an argv needs at least the program');
    return a;
  };
  return { onStopped: argv('onStopped'), onRunning: argv('onRunning') };
}
