// SPDX-License-Identifier: Apache-2.0
export { setNodeAttribute, clearNodeAttribute, readNodeAttribute, parseAttrdQuery } from './attrd.js';
export type { AttrdOptions } from './attrd.js';
export { readClusterNodes, parseCrmMonNodes, parseCorosyncNodelist } from './nodes.js';
export type { ClusterNode } from './nodes.js';
