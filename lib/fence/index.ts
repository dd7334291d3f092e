// SPDX-License-Identifier: Apache-2.0
export { defineFenceAgent } from './define.js';
export type { AgentOptions, Env, FenceAgent, FenceContext, ListedPlug, Power, SetPowerAnswer } from './define.js';
export { FenceExit } from './exit-codes.js';
export { FenceError } from './fence-error.js';
export { integer, override, select, string } from '../spec/core.js';
export { flag, second } from './option-spec.js';
export type { FenceOptionSpec, FenceOptionsOf, FenceOptionsSpec } from './option-spec.js';
export { fenceActions, standardOptions } from './standard-options.js';
export type { FenceAction } from './standard-options.js';
export { agentOptionsSpec, fenceMain, runFenceAgent } from './run.js';
export type { FenceRunInput, FenceRunResult } from './run.js';
