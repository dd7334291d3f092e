// SPDX-License-Identifier: Apache-2.0
import { hostname } from 'node:os';
import type { Logger } from '../log/logger.js';
import type { StateStore } from '../state/state-file.js';
import type { BestEffortOptions } from './best-effort.js';
import type { Deadline } from '../time/index.js';

/** What a handler knows about the operation it runs in; read from the environment once, by the kit. */
export interface ResourceContext<D = unknown> {
  readonly agent: string;
  /** OCF_RESOURCE_INSTANCE, e.g. `vm1` or `ping:0`. */
  readonly instance: string;
  readonly action: string;
  /** A monitor with interval 0: Pacemaker asking whether the resource runs here. */
  readonly isProbe: boolean;
  readonly intervalMs: number;
  /** OCF_RESKEY_CRM_meta_timeout, or the action's advertised default. */
  readonly timeoutMs: number;
  readonly checkLevel: number;
  /** The operation's budget: the timeout less a margin to exit before Pacemaker's SIGKILL. */
  readonly deadline: Deadline;
  readonly log: Logger;
  readonly state: StateStore;
  /** HA_RSCTMP: where per-resource runtime state lives. */
  readonly rsctmp: string;
  /** This node's name as Pacemaker knows it. */
  readonly nodeName: string;
  /** `OCF_RESKEY_CRM_meta_*` values, keyed without the prefix (e.g. `migrate_target`). */
  readonly meta: Readonly<Record<string, string>>;
  readonly migrateSource: string | undefined;
  readonly migrateTarget: string | undefined;
  /** Where output goes (meta-data, usage, fence-style listings). */
  readonly out: (text: string) => void;
  /** What the agent's `resolve` derived from the parameters for this action (undefined without one). */
  readonly resolved: D;
  /**
   * Runs a step that cannot change the action's outcome (cleanup after the work is done) with a
   * sub-deadline ending before the backstop; a failure or timeout is logged as a warning and
   * yields undefined. Call it only once the action has succeeded: if the backstop fires while
   * the step runs, the action answers success.
   */
  readonly bestEffort: <T>(what: string, step: (deadline: Deadline) => Promise<T>, options?: BestEffortOptions) => Promise<T | undefined>;
}

/** The OCF_RESKEY_CRM_meta_* variables of an environment. */
export function metaFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const meta: Record<string, string> = {};
  const prefix = 'OCF_RESKEY_CRM_meta_';
  for (const [k, v] of Object.entries(env)) if (k.startsWith(prefix) && v !== undefined) meta[k.slice(prefix.length)] = v;
  return meta;
}

export function nodeNameFrom(meta: Readonly<Record<string, string>>): string {
  return meta.on_node ?? hostname();
}
