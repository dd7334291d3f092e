// SPDX-License-Identifier: Apache-2.0
export { Deadline, maxTimerMs } from './deadline.js';
export { budgetForTimeout, stepDeadline } from './budget.js';
export { expiry, sleep, waitUntil, WaitTimedOut } from './wait.js';
export { formatDurationMs, parseDurationMs } from './durations.js';
export type { DurationUnit } from './durations.js';
