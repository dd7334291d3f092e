// SPDX-License-Identifier: Apache-2.0
export { descendantsOf, hasExited, processesWhere, realUidOf } from './processes.js';
export type { ProcessEntry } from './processes.js';
export { ownAgeMs } from './own-age.js';
