// SPDX-License-Identifier: Apache-2.0
import type { Logger } from '../log/logger.js';
import type { Deadline } from '../time/index.js';
import type { FenceOptionsOf, FenceOptionsSpec } from './option-spec.js';
import type { FenceAction, StandardOptions } from './standard-options.js';

export type Power = 'on' | 'off';

/** The options table an agent runs with: the standard ones, where the agent's own table wins on a shared key. */
export type AgentOptionsSpec<S extends FenceOptionsSpec> = Omit<StandardOptions, keyof S> & S;
export type AgentOptions<S extends FenceOptionsSpec> = FenceOptionsOf<AgentOptionsSpec<S>>;

/** The environment the agent was run with, read once. */
export type Env = Readonly<Record<string, string | undefined>>;

/** What a callback knows about the run it is part of; read from the environment once, by the kit. */
export interface FenceContext {
  readonly agent: string;
  readonly action: FenceAction;
  /** The plug option split at plug_separator, blanks dropped: the kit splits it, once. */
  readonly plugs: readonly string[];
  readonly log: Logger;
  /** The budget of the current step (a power phase, a list, a monitor). API calls stay within it. */
  readonly deadline: Deadline;
  readonly env: Env;
  /**
   * During on and off (the first read and the polls): the power the kit wants. A device with
   * transitional states reports the old power until the change is complete (a VM still
   * starting is not on yet).
   */
  readonly awaiting?: Power;
}

/** What a device answered to a power request, when it says (StopVms' PreviousState). */
export interface SetPowerAnswer {
  /** The plug was at the target before the request. */
  readonly wasAtTarget: boolean;
}

/** One row of `list`: Pacemaker's dynamic-list takes both the plug and the alias as target names. */
export interface ListedPlug {
  readonly plug: string;
  readonly alias?: string;
  readonly power?: Power;
}

/**
 * A fence agent as fencing.py sees one: the device's own operations. What `validate` returns
 * (settings it resolved) is handed to `connect`, which runs once per call; its result
 * (credentials, an API client, caches) is handed to every other callback.
 * Callbacks throw FenceError (or any Error) on failure; an error with `transient: true` thrown
 * by getPower while the kit polls is logged and the poll goes on.
 */
export interface FenceAgent<S extends FenceOptionsSpec = FenceOptionsSpec, C = unknown, V = unknown> {
  readonly name: string;
  readonly version?: string;
  readonly shortdesc: string;
  /** Paragraphs separated by blank lines: metadata longdesc and the man page DESCRIPTION. */
  readonly longdesc: string;
  readonly vendorUrl: string;
  readonly options: S;
  /** Extra man page sections (title → paragraphs), e.g. credentials and examples. */
  readonly manSections?: Readonly<Record<string, string>>;
  /** Consistency of the options alone, without network (validate-all, and before every action); returns what connect needs. */
  readonly validate?: (o: AgentOptions<S>, ctx: FenceContext) => V | Promise<V>;
  /** Runs within the budget of the action's first phase (the off phase of off and reboot). */
  connect(o: AgentOptions<S>, ctx: FenceContext, validated: V): Promise<C>;
  readonly getPower: (c: C, plug: string, ctx: FenceContext) => Promise<Power>;
  /**
   * Off and reboot call setPower(off) even when getPower reads off first: a device whose state
   * can be stale (a cloud API) must not report a node fenced on one read. setPower then decides
   * whether a request is needed (a deleted VM cannot be stopped).
   */
  readonly alwaysSendOff?: boolean;
  /**
   * Asks for the change; the kit then polls getPower until it is done. A device that says what
   * the plug was before the request returns it: a plug that was not at the target is confirmed
   * only by two reads in a row at least stonith_status_sleep apart, or by a read of the old
   * state followed by one at the target, and is never reported "Already OFF".
   */
  readonly setPower: (c: C, plug: string, power: Power, ctx: FenceContext) => Promise<SetPowerAnswer | undefined>;
  readonly list: (c: C, ctx: FenceContext) => Promise<readonly ListedPlug[]>;
  /** One cheap check that the device answers with these credentials; throws when it does not. */
  readonly monitor: (c: C, ctx: FenceContext) => Promise<void>;
  /** Last check before plugs are turned off (race protection); throws to refuse. */
  readonly beforeFencing?: (c: C, plugs: readonly string[], ctx: FenceContext) => Promise<void>;
}

/** Identity function that exists for inference: callbacks get options typed from the table. */
export function defineFenceAgent<const S extends FenceOptionsSpec, C, V = unknown>(agent: FenceAgent<S, C, V>): FenceAgent<S, C, V> {
  return agent;
}
