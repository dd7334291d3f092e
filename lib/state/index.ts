// SPDX-License-Identifier: Apache-2.0
export { writeFileAtomically } from './atomic-file.js';
export { stateFile } from './state-file.js';
export type { StateStore } from './state-file.js';
