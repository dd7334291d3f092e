// SPDX-License-Identifier: Apache-2.0
export { fixedLookup, lookupWithin, parseGetentHosts, type Lookup, type Resolved } from './lookup.js';
