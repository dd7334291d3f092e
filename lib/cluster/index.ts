// SPDX-License-Identifier: Apache-2.0
export { setNodeAttribute, clearNodeAttribute } from './attrd.js';
export type { AttrdOptions } from './attrd.js';
export { readClusterView, parseCrmMonNodes, parseCorosyncNodelist, parseCorosyncMembers } from './nodes.js';
export type { ClusterNode, ClusterView, ClusterViewOptions } from './nodes.js';
export { parseFenceHistory, lastFencingOf, parsePacemakerTime } from './fence-history.js';
export type { FenceEvent } from './fence-history.js';
export { parseNodeStates } from './node-states.js';
export type { NodeState } from './node-states.js';
export { resolveWithin } from './resolve.js';
