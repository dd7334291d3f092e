// SPDX-License-Identifier: Apache-2.0

/** Advertised defaults for one action in meta-data; Pacemaker tools copy them into new resources. */
export interface ActionSpec {
  readonly timeout: string;
  readonly interval?: string;
  readonly depth?: number;
}

export type ActionName = 'start' | 'stop' | 'monitor' | 'validate-all' | 'meta-data' | 'reload-agent' | 'migrate_to' | 'migrate_from';

/**
 * An agent's advertised actions, in meta-data order. The kit adds validate-all (20s) and
 * meta-data (5s) after them unless the agent lists one, to change its timeout or place.
 */
export type ActionsSpec = Partial<Record<ActionName, ActionSpec>> & {
  readonly start: ActionSpec;
  readonly stop: ActionSpec;
  readonly monitor: ActionSpec;
};
