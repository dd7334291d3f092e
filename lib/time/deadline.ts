// SPDX-License-Identifier: Apache-2.0

const now = (): number => performance.now();

/** The longest delay a Node timer holds (2^31-1 ms, ~24.8 days). */
export const maxTimerMs = 2 ** 31 - 1;

/**
 * The time an operation may still use. Pacemaker SIGKILLs the agent's process group at the
 * operation timeout with no warning, so every wait and child process is bounded by one of these.
 * Counted on the monotonic clock (`performance.now()`), as Pacemaker's timer is: a wall clock
 * stepped by chrony or PTP during a stop must not shorten or stretch its budget.
 */
export class Deadline {
  readonly signal: AbortSignal;
  private constructor(
    readonly atMs: number,
    signal?: AbortSignal,
  ) {
    // AbortSignal.timeout takes whole milliseconds only (callers may compute fractions), and
    // fires at once for anything over 2^31-1 ms.
    const own = AbortSignal.timeout(Math.min(maxTimerMs, Math.max(0, Math.ceil(atMs - now()))));
    this.signal = signal ? AbortSignal.any([signal, own]) : own;
  }

  /** A deadline `budgetMs` from now. */
  static after(budgetMs: number): Deadline {
    return new Deadline(now() + Math.max(0, budgetMs));
  }

  // A fired signal is expiry, even a millisecond early by performance.now(): libuv times its timers
  // from the loop's cached clock, so a request aborted by the signal must also read as timed out.
  remainingMs(): number {
    return this.signal.aborted ? 0 : Math.max(0, this.atMs - now());
  }

  isExpired(): boolean {
    return this.remainingMs() === 0;
  }

  /** A sub-deadline using `fraction` of the time left, e.g. the graceful phase of a stop. */
  portion(fraction: number): Deadline {
    return new Deadline(now() + Math.floor(this.remainingMs() * fraction), this.signal);
  }

  /** A sub-deadline of at most `ms`, never past this one: one bounded call inside a longer operation. */
  within(ms: number): Deadline {
    return new Deadline(now() + Math.min(ms, this.remainingMs()), this.signal);
  }

  /** A sub-deadline that leaves `reserveMs` of this one for what follows. */
  leaving(reserveMs: number): Deadline {
    return new Deadline(now() + Math.max(0, this.remainingMs() - reserveMs), this.signal);
  }
}
