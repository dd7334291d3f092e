// SPDX-License-Identifier: Apache-2.0
// Moved to lib/time. Kept only for imports not yet switched (lib/fence, fence/outscale); delete once they import lib/time.
export { sleep } from '../time/wait.js';
