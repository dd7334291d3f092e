// SPDX-License-Identifier: Apache-2.0
// Values whose type is not known yet: parsed JSON or XML, caught errors.
export { errnoCode, messageOf } from './error-text.js';
export { parseJsonOutput } from './json-text.js';
export { isAbsentOr, isFiniteNumber, isRecord, isString } from './record.js';
