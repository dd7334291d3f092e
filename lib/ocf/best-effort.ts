// SPDX-License-Identifier: Apache-2.0
import type { Logger } from '../log/logger.js';
import type { Deadline } from '../time/index.js';
import { messageOf } from '../unknown/index.js';

/** Options of one best-effort step. */
export interface BestEffortOptions {
  /** At most this long, whatever the operation has left. */
  readonly withinMs?: number;
  /**
   * false for a step whose action is not decided yet: a clean-up on a failing path, an optional
   * step before the work is done. Bounded and logged the same, but a backstop during it is a failure.
   */
  readonly settled?: boolean;
}

/**
 * Runs steps that come after an action's outcome is decided (unset an attribute after the state
 * file is gone, undefine a domain after it was destroyed, re-announce an address that is up).
 * Each step gets a sub-deadline that ends before the operation's backstop, and its failure is
 * logged, never thrown. While one runs, the action counts as settled: should the backstop fire
 * anyway (a step that ignores its deadline), the kit answers success instead of 1.
 */
export class BestEffort {
  private running: string[] = [];

  constructor(
    private readonly deadline: Deadline,
    private readonly log: Logger,
  ) {}

  /** The step running when the backstop fired, if the action is settled; undefined otherwise. */
  settledStep(): string | undefined {
    return this.running.at(-1);
  }

  /**
   * Runs `step` with its own sub-deadline and returns what it returned, or undefined when it
   * failed or ran out of time (logged as a warning naming `what`).
   */
  async run<T>(what: string, step: (deadline: Deadline) => Promise<T>, options: BestEffortOptions = {}): Promise<T | undefined> {
    const remaining = this.deadline.remainingMs();
    const sub = this.deadline.within(Math.min(options.withinMs ?? Infinity, remaining - bestEffortReserveMs(remaining)));
    const settled = options.settled !== false;
    if (settled) this.running.push(what);
    try {
      if (sub.isExpired()) throw new Error('no time left before the operation deadline');
      return await step(sub);
    } catch (e) {
      this.log.warn(`${what} (best effort) did not complete: ${messageOf(e)}`);
      return undefined;
    } finally {
      if (settled) this.running.splice(this.running.lastIndexOf(what), 1);
    }
  }
}

/** What a best-effort step leaves before the backstop: a tenth of the time left, 100 ms to 1 s. */
export function bestEffortReserveMs(remainingMs: number): number {
  return Math.min(1000, Math.max(100, Math.floor(remainingMs / 10)));
}
