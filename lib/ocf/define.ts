// SPDX-License-Identifier: Apache-2.0
import type { ActionsSpec } from '../spec/actions.js';
import type { ParamsOf, ParamsSpec } from '../spec/params.js';
import type { ResourceContext } from './context.js';
import type { MonitorResult } from './exit-codes.js';

type Handler<S extends ParamsSpec, R = void> = (p: ParamsOf<S>, ctx: ResourceContext) => Promise<R>;

/** Programs an action needs on this node, and what for: the exit reason ends `(needed <neededFor>)`, `by <agent>` when unset. */
export interface ToolNeed {
  readonly tools: readonly string[];
  readonly neededFor?: string;
}

/** An OCF resource agent: its spec and its handlers. The kit does everything else. */
export interface ResourceAgent<S extends ParamsSpec = ParamsSpec> {
  readonly name: string;
  readonly version?: string;
  readonly shortdesc: string;
  readonly longdesc: string;
  readonly params: S;
  readonly actions: ActionsSpec;
  /**
   * Programs this node needs: the same for every action, or per action (`ctx.action`). Checked by the
   * kit without spawning, after validate and before validateHost and the handler (not by validate-all
   * below level 10); the first need with a missing program fails the action with ERR_INSTALLED.
   */
  readonly requires?: readonly string[] | ((p: ParamsOf<S>, ctx: ResourceContext) => readonly ToolNeed[]);
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
