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
  | 'monitor'
  | 'validate-all'
  | 'meta-data'
  | 'reload-agent'
  | 'migrate_to'
  | 'migrate_from';

export type ActionsSpec = Partial<Record<ActionName, ActionSpec>> & { readonly start: ActionSpec; readonly stop: ActionSpec; readonly monitor: ActionSpec };
