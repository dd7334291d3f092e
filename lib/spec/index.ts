// SPDX-License-Identifier: Apache-2.0
export { string, integer, boolean, select, duration, custom, override, defaultText } from './core.js';
export type { Declaration, PresentOf, SpecTable, ValueKind, ValueSpec, ValuesOf } from './core.js';
export { ocfBoolean, parseParams } from './params.js';
export { ocfIsTrue, wordsOf } from './values.js';
export type { Parsed } from './values.js';
export type { DurationUnit } from '../time/index.js';
export type { ParamSpec, ParamsSpec, ParamsOf, ParamOptions, ParamFields } from './params.js';
export type { ActionSpec, ActionsSpec, ActionName } from './actions.js';
