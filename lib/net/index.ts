// SPDX-License-Identifier: Apache-2.0
export { lookupWithin, parseGetentHosts, type Lookup, type Resolved } from './lookup.js';
