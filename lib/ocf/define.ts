// SPDX-License-Identifier: Apache-2.0
import type { ActionsSpec } from '../spec/actions.js';
import type { ParamsOf, ParamsSpec } from '../spec/params.js';
import type { ResourceContext } from './context.js';
import type { MonitorResult } from './exit-codes.js';

// Method-style (bivariant) function types: any agent is then a plain ResourceAgent, which the kit
// runs by pairing its handlers only with values parsed from its own params and its own resolve.
type Bivariant<A extends unknown[], R> = { fn(...args: A): R }['fn'];
type Handler<S extends ParamsSpec, D, R = void> = Bivariant<[p: ParamsOf<S>, ctx: ResourceContext<D>], Promise<R>>;

/** Programs an action needs on this node, and what for: the exit reason ends `(needed <neededFor>)`, `by <agent>` when unset. */
export interface ToolNeed {
  readonly tools: readonly string[];
  readonly neededFor?: string;
}

/** An OCF resource agent: its spec and its handlers. The kit does everything else. */
export interface ResourceAgent<S extends ParamsSpec = ParamsSpec, D = unknown> {
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
  readonly requires?: readonly string[] | Bivariant<[p: ParamsOf<S>, ctx: ResourceContext<D>], readonly ToolNeed[]>;
  /**
   * A value derived from the parameters that the action's handlers share (vip's parsed address),
   * computed once per action, before validate, and handed to every hook as `ctx.resolved`.
   * Throws like validate (ERR_CONFIGURED when the parameters cannot work anywhere).
   */
  readonly resolve?: Bivariant<[p: ParamsOf<S>, ctx: ResourceContext<undefined>], D>;
  /** Consistency of the parameters alone (validate-all at level 0, and before every action). Throws ERR_CONFIGURED. */
  readonly validate?: Bivariant<[p: ParamsOf<S>, ctx: ResourceContext<D>], void | Promise<void>>;
  /** Checks of this node (validate-all at level 10, and before start). Throws ERR_ARGS, ERR_INSTALLED … */
  readonly validateHost?: Handler<S, D>;
  readonly start: Handler<S, D>;
  readonly stop: Handler<S, D>;
  /** Returns SUCCESS or NOT_RUNNING; throws OcfError for anything else (or NOT_RUNNING with a reason). */
  readonly monitor: Handler<S, D, MonitorResult>;
  readonly reloadAgent?: Handler<S, D>;
  readonly migrateTo?: Handler<S, D>;
  readonly migrateFrom?: Handler<S, D>;
}

/** Identity function that exists for type inference: handlers get `p` typed from `params`, `ctx.resolved` from `resolve`. */
export function defineResourceAgent<const S extends ParamsSpec, D = undefined>(agent: ResourceAgent<S, D>): ResourceAgent<S, D> {
  return agent;
}
