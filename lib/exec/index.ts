// SPDX-License-Identifier: Apache-2.0
export { run } from './run.js';
export type { Argv, RunOptions, RunResult } from './run.js';
export { query } from './query.js';
export { spawnDetached } from './detached.js';
export type { Detached, DetachedOptions } from './detached.js';
export { which } from './which.js';
export { killLiveChildren } from './live-children.js';
export { ExecFailed, lastLines } from './exec-failed.js';
export { CAP_NET_ADMIN, CAP_NET_RAW, effectiveHas, hasCapability } from './capability.js';
