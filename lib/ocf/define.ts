// SPDX-License-Identifier: Apache-2.0
import type { ActionsSpec } from '../spec/actions.js';
import type { ParamsOf, ParamsSpec } from '../spec/params.js';
import type { ResourceContext } from './context.js';
import type { MonitorResult } from './exit-codes.js';

type Handler<S extends ParamsSpec, R = void> = (p: ParamsOf<S>, ctx: ResourceContext) => Promise<R>;

/** An OCF resource agent: its spec and its handlers. The kit does everything else. */
export interface ResourceAgent<S extends ParamsSpec = ParamsSpec> {
  readonly name: string;
  readonly version?: string;
  readonly shortdesc: string;
  readonly longdesc: string;
  readonly params: S;
  readonly actions: ActionsSpec;
  /** Programs this node needs for the resource to run here; checked without spawning. */
  readonly requires?: readonly string[] | ((p: ParamsOf<S>) => readonly string[]);
  /** Consistency of the parameters alone (validate-all at level 0, and before every action). Throws ERR_CONFIGURED. */
  readonly validate?: (p: ParamsOf<S>, ctx: ResourceContext) => void | Promise<void>;
  /** Checks of this node (validate-all at level 10, and before start). Throws ERR_ARGS, ERR_INSTALLED … */
  readonly validateHost?: Handler<S>;
  readonly start: Handler<S>;
  readonly stop: Handler<S>;
  /** Returns SUCCESS or NOT_RUNNING; throws OcfError for anything else (or NOT_RUNNING with a reason). */
  readonly monitor: Handler<S, MonitorResult>;
  readonly reloadAgent?: Handler<S>;
  readonly migrateTo?: Handler<S>;
  readonly migrateFrom?: Handler<S>;
}

/** Identity function that exists for type inference: handlers get `p` typed from `params`. */
export function defineResourceAgent<const S extends ParamsSpec>(agent: ResourceAgent<S>): ResourceAgent<S> {
  return agent;
}
