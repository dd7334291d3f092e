// SPDX-License-Identifier: Apache-2.0
export { string, integer, boolean, ocfBoolean, select, parseParams } from './params.js';
export { ocfIsTrue } from './values.js';
export type { ParamSpec, ParamsSpec, ParamsOf, ParamOptions, ParamKind } from './params.js';
export type { ActionSpec, ActionsSpec, ActionName } from './actions.js';
