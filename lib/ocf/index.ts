// SPDX-License-Identifier: Apache-2.0
export { Ocf, ocfCodeName } from './exit-codes.js';
export type { OcfCode, MonitorResult } from './exit-codes.js';
export { OcfError } from './ocf-error.js';
export type { BestEffortOptions } from './best-effort.js';
export { defineResourceAgent } from './define.js';
export type { ResourceAgent, ToolNeed } from './define.js';
export type { ResourceContext } from './context.js';
export { runAction } from './dispatch.js';
export type { ActionResult, Env } from './dispatch.js';
export { failWhenUnanswered } from './unanswered.js';
