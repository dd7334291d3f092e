// SPDX-License-Identifier: Apache-2.0

/** Advertised defaults for one action in meta-data; Pacemaker tools copy them into new resources. */
export interface ActionSpec {
  readonly timeout: string;
  readonly interval?: string;
  readonly depth?: number;
}

export type ActionName =
  | 'start'
  | 'stop'
  | 'status'
  | 'monitor'
  | 'validate-all'
  | 'meta-data'
  | 'reload-agent'
  | 'migrate_to'
  | 'migrate_from';

/**
 * An agent's advertised actions, in meta-data order. The kit adds validate-all (20s) and
 * meta-data (5s) after them unless the agent lists one, to change its timeout or place.
 * An agent that lists `status` (the stock agent it replaces has it) answers it with its monitor.
 */
export type ActionsSpec = Partial<Record<ActionName, ActionSpec>> & {
  readonly start: ActionSpec;
  readonly stop: ActionSpec;
  readonly monitor: ActionSpec;
};
