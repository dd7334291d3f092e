// SPDX-License-Identifier: Apache-2.0
import { XMLParser } from 'fast-xml-parser';
import { query } from '../../lib/exec/index.js';
import type { ResourceContext } from '../../lib/ocf/index.js';
import type { Deadline } from '../../lib/time/index.js';
import type { DomainXml } from './domain-xml.js';
import { resourceNameOf } from './identity.js';
import type { VmParams } from './spec.js';
import { messageOf } from '../../lib/unknown/index.js';

/** True when start or an arriving migration has utilization to set or delete. */
export function wantsUtilization(p: VmParams): boolean {
  return (
    p.autoset_utilization_cpu ||
    p.autoset_utilization_host_memory ||
    p.autoset_utilization_hv_memory ||
    p.unset_utilization_cpu ||
    p.unset_utilization_host_memory ||
    p.unset_utilization_hv_memory
  );
}

/**
 * Copies the domain's size into the resource's utilization when asked (autoset_utilization_*, on
 * by default as in VirtualDomain), or deletes it (unset_utilization_* with autoset off), once at
 * start or after a migration, never from monitor. host_memory and hv_memory are both the domain's
 * maximum memory, as VirtualDomain reads them from `virsh dominfo`. One CIB read, and a write only
 * for a value that differs (VirtualDomain reads each attribute on every monitor). Best effort:
 * placement data must not fail a VM that runs.
 */
export async function autosetUtilization(
  p: VmParams,
  dom: Pick<DomainXml, 'vcpus' | 'memoryMiB'>,
  ctx: ResourceContext,
  deadline: Deadline,
): Promise<void> {
  const wanted: [string, number | undefined][] = [];
  const unwanted: string[] = [];
  const choose = (attribute: string, autoset: boolean, unset: boolean, value: number | undefined): void => {
    if (autoset) wanted.push([attribute, value]);
    else if (unset) unwanted.push(attribute);
  };
  choose('cpu', p.autoset_utilization_cpu, p.unset_utilization_cpu, dom.vcpus);
  choose('host_memory', p.autoset_utilization_host_memory, p.unset_utilization_host_memory, dom.memoryMiB);
  choose('hv_memory', p.autoset_utilization_hv_memory, p.unset_utilization_hv_memory, dom.memoryMiB);
  if (wanted.length === 0 && unwanted.length === 0) return;
  const resource = resourceNameOf(ctx.instance);
  let current: ReadonlyMap<string, string>;
  try {
    current = await utilizationOf(resource, deadline);
  } catch (e) {
    ctx.log.warn(`cannot read the utilization of ${resource} from the CIB, leaving it as it is: ${messageOf(e)}`);
    return;
  }
  for (const attribute of unwanted) {
    if (!current.has(attribute)) continue;
    try {
      await query(['crm_resource', '--resource', resource, '--utilization', '--delete-parameter', attribute], {
        deadline: deadline.within(5000),
        okExitCodes: [105],
      });
    } catch (e) {
      ctx.log.warn(`cannot delete utilization ${attribute} of ${resource}: ${messageOf(e)}`);
    }
  }
  for (const [attribute, value] of wanted) {
    if (value === undefined) {
      ctx.log.warn(`cannot set utilization ${attribute}: the domain XML does not say`);
      continue;
    }
    if (current.get(attribute) === String(value)) continue;
    try {
      await query(
        ['crm_resource', '--resource', resource, '--utilization', '--set-parameter', attribute, '--parameter-value', String(value)],
        {
          deadline: deadline.within(5000),
        },
      );
    } catch (e) {
      ctx.log.warn(`cannot set utilization ${attribute}=${value} of ${resource}: ${messageOf(e)}`);
    }
  }
}

const cibParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  isArray: (name) => name === 'utilization' || name === 'nvpair',
});

/** The resource's utilization in the CIB, name to value; empty when it has none (cibadmin's 105). */
async function utilizationOf(resource: string, deadline: Deadline): Promise<ReadonlyMap<string, string>> {
  // The id goes into an XPath string literal: Pacemaker ids are XML ids, which hold no quote; anything else is not asked.
  if (!/^[A-Za-z0-9_.:-]+$/.test(resource)) throw new Error(`'${resource}' is not a Pacemaker resource id`);
  const r = await query(['cibadmin', '--query', '--xpath', `//primitive[@id='${resource}']/utilization`], {
    deadline: deadline.within(5000),
    okExitCodes: [105],
  });
  return r.exitCode === 105 ? new Map() : parseUtilization(r.stdout);
}

/** `cibadmin --query --xpath …/utilization` output: one element, or several inside `<xpath-query>`. */
export function parseUtilization(xml: string): ReadonlyMap<string, string> {
  type Utilization = { nvpair?: { name?: string; value?: string }[] };
  const doc = cibParser.parse(xml) as { utilization?: Utilization[]; 'xpath-query'?: { utilization?: Utilization[] } };
  const blocks = doc.utilization ?? doc['xpath-query']?.utilization ?? [];
  const values = new Map<string, string>();
  for (const pair of blocks.flatMap((u) => u.nvpair ?? []))
    if (pair.name !== undefined && pair.value !== undefined) values.set(pair.name, pair.value);
  return values;
}
