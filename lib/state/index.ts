// SPDX-License-Identifier: Apache-2.0
export { stateFile } from './state-file.js';
export type { StateStore } from './state-file.js';
