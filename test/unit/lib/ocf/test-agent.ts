// SPDX-License-Identifier: Apache-2.0
import type { ResourceAgent } from '../../../../lib/ocf/index.js';

/** The name, descriptions and actions of the one-off agents the kit's tests define: only their params and handlers differ. */
export const testAgent: Pick<ResourceAgent, 'name' | 'shortdesc' | 'longdesc' | 'actions'> = {
  name: 't',
  shortdesc: 'test',
  longdesc: 'test agent',
  actions: { start: { timeout: '20s' }, stop: { timeout: '20s' }, monitor: { timeout: '20s', interval: '10s' } },
};
