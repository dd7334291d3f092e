// SPDX-License-Identifier: Apache-2.0
import { run } from '../../lib/exec/run.js';
import type { ResourceContext } from '../../lib/ocf/context.js';
import type { DomainXml } from './domain-xml.js';
import type { VmParams } from './spec.js';

/**
 * Copies the domain's size into the resource's utilization when asked (autoset_utilization_*),
 * once at start or after a migration, never from monitor. Best effort: placement data must not
 * fail a VM that runs.
 */
export async function autosetUtilization(p: VmParams, dom: Pick<DomainXml, 'vcpus' | 'memoryMiB'>, ctx: ResourceContext): Promise<void> {
  const wanted: [string, number | undefined][] = [];
  if (p.autoset_utilization_cpu) wanted.push(['cpu', dom.vcpus]);
  if (p.autoset_utilization_hv_memory) wanted.push(['hv_memory', dom.memoryMiB]);
  const resource = ctx.instance.replace(/:\d+$/, '');
  for (const [attribute, value] of wanted) {
    if (value === undefined) {
      ctx.log.warn(`cannot set utilization ${attribute}: the domain XML does not say`);
      continue;
    }
    try {
      await run(['crm_resource', '--resource', resource, '--utilization', '--set-parameter', attribute, '--parameter-value', String(value)], {
        deadline: ctx.deadline.within(5000),
      });
    } catch (e) {
      ctx.log.warn(`cannot set utilization ${attribute}=${value} of ${resource}: ${(e as Error).message}`);
    }
  }
}
