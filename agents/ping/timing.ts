// SPDX-License-Identifier: Apache-2.0
import type { Parsed } from '../../lib/spec/index.js';
import { parseDurationMs } from '../../lib/time/index.js';

/** The timeout parameter as read: milliseconds, or undefined for the computed default; `note` says what was changed. */
export interface TimeoutSetting {
  readonly ms: number | undefined;
  readonly note?: string;
}

/**
 * Reads timeout as the stock agent survives it, since it is reloadable and a refused value (6)
 * would stop the clone on every node and unset the attribute location rules read: 0 becomes
 * 5 s (stock turns anything under 1 s into 5), a value that is not a duration the computed default.
 */
export function parseTimeout(raw: string): Parsed<TimeoutSetting> {
  const ms = parseDurationMs(raw, 's');
  if (ms === undefined)
    return { value: { ms: undefined, note: `timeout '${raw}' is not a duration (5, 5s, 500ms): using the computed default, as stock` } };
  if (ms === 0) return { value: { ms: 5000, note: `timeout '${raw}' is 0: using 5 s, as the stock agent does` } };
  return { value: { ms } };
}

/** How one measurement spends the operation's time. */
export interface ProbePlan {
  /** How long a silent host is waited for, all attempts included. */
  readonly waitMs: number;
  /** How long one attempt waits for its answer before the next one is sent. */
  readonly perAttemptMs: number;
  readonly attempts: number;
  /** Kept back from the probes for attrd_updater and the exit reason. */
  readonly publishReserveMs: number;
  /** True when the configured timeout did not fit in the operation's budget and was shortened. */
  readonly shortened: boolean;
}

/**
 * Splits what is left of the operation's budget: every host is probed at once, so the probes
 * need `timeout` in total (not per host); publication keeps a fifth of the budget (0.2 to 3 s);
 * the probes get at most 90 % of the rest, so the tools finish on their own timers before
 * the backstop kill at the end of it.
 */
export function planProbe(timeoutMs: number, attempts: number, remainingMs: number): ProbePlan {
  const publishReserveMs = Math.min(3000, Math.max(200, Math.round(remainingMs / 5)));
  const availableMs = Math.floor(Math.max(0, remainingMs - publishReserveMs) * 0.9);
  const waitMs = Math.max(1, Math.min(timeoutMs, availableMs));
  const tries = Math.max(1, Math.min(attempts, waitMs));
  return {
    waitMs,
    perAttemptMs: Math.max(1, Math.floor(waitMs / tries)),
    attempts: tries,
    publishReserveMs,
    shortened: waitMs < timeoutMs,
  };
}

/**
 * The stock agent's timeout when the parameter is unset: the operation timeout (20 s when
 * Pacemaker gives none) shared among hosts and attempts, finishing 10 % early, in whole seconds;
 * under 1 s becomes 5 s, over 1000 s becomes 300 s. E.g. a 60 s monitor, 1 host, 3 attempts: 18 s.
 */
export function stockDefaultTimeoutMs(operationTimeoutMs: number | undefined, hostCount: number, attempts: number): number {
  const perHostMs = Math.floor(Math.floor((operationTimeoutMs ?? 20_000) / Math.max(1, hostCount)) / Math.max(1, attempts));
  return clampStockTimeoutS(Math.floor(perHostMs / 1100)) * 1000;
}

/** The stock agent's bounds on a timeout in seconds: under 1 → 5, over 1000 → 300. */
function clampStockTimeoutS(seconds: number): number {
  if (seconds < 1) return 5;
  return seconds > 1000 ? 300 : seconds;
}

/** A configured timeout as the agent uses it: as given (sub-second values kept), at most 300 s past 1000 s as in the stock agent. */
export function configuredTimeoutMs(ms: number): number {
  return ms > 1_000_000 ? 300_000 : ms;
}
