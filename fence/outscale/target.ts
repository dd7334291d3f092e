// SPDX-License-Identifier: Apache-2.0
import { FenceError } from '../../lib/fence/index.js';
import type { Deadline } from '../../lib/time/index.js';
import type { OutscaleApi } from './api.js';
import { OutscaleApiError } from './errors.js';
import { readAllVms, readVms, type Vm } from './vms.js';

/** An Outscale VM ID: i- and 8 hex digits (longer forms are accepted in case the format grows). */
export const vmIdPattern = /^i-[0-9a-f]{8,17}$/;

// What a tag value may hold here: node names and the usual tag characters, at most 255.
const tagValuePattern = /^[A-Za-z0-9 _.:/+@-]{1,255}$/;

/** Why a plug cannot name a VM, or undefined when it can. Checked before any API call. */
export function plugProblem(plug: string): string | undefined {
  if (plug.startsWith('i-') && !vmIdPattern.test(plug))
    return `plug '${plug}' is not a valid VM ID: expected i- and 8 hex digits, e.g. i-0a1b2c3d`;
  if (!plug.startsWith('i-') && !tagValuePattern.test(plug))
    return `plug '${plug.slice(0, 64)}' is not a VM ID nor a usable tag value (letters, digits, spaces and _.:/+@- only, at most 255)`;
  return undefined;
}

/** A plug that names no VM at all (as opposed to one that names a VM this device may not fence). */
export class PlugNamesNoVm extends FenceError {}

/** How plugs are looked up: the tag that names VMs, and the device's filter (key=value) when set. */
export interface TargetLookup {
  readonly tagKey: string;
  readonly filter?: string;
}

/** Whether a VM carries the filter's tag (key=value, split at the first =); every VM does when there is no filter. */
export function isInFilter(vm: Vm, filter: string | undefined): boolean {
  if (filter === undefined) return true;
  const eq = filter.indexOf('=');
  return vm.tags.get(filter.slice(0, eq)) === filter.slice(eq + 1);
}

/**
 * The one VM a plug names: a VM ID, or else the value of the `tagKey` tag (read over every
 * page of ReadVms). With a filter, only VMs that carry its tag count: a VM outside it is never
 * fenced, and a namesake outside it does not make the plug ambiguous. Zero or several matches
 * fail and nothing is done. A terminated VM that kept the tag (ReadVms may show it for up to an
 * hour) does not make a live namesake ambiguous, nor stand for one outside the filter; nor does a
 * stopped VM of the filter stand for a namesake outside it that runs.
 */
export async function findTargetVm(api: OutscaleApi, plug: string, lookup: TargetLookup, deadline: Deadline): Promise<Vm> {
  const { tagKey, filter } = lookup;
  if (vmIdPattern.test(plug)) {
    const vms = await readVmsOrNone(api, plug, deadline);
    const vm = vms.find((v) => v.id === plug);
    if (vm === undefined) throw new PlugNamesNoVm(`no VM ${plug} in this account and region: check the plug or pcmk_host_map`);
    if (!isInFilter(vm, filter))
      throw new FenceError(`VM ${plug} does not carry the tag ${filter} (filter): this device does not fence it; nothing was done`);
    return vm;
  }
  // Every page: a namesake on a later page must make the plug ambiguous, not go unseen.
  // ReadVms ORs the pairs of Filters.Tags, so the filter is applied here.
  const vms = await readAllVms(api, { Tags: [`${tagKey}=${plug}`] }, deadline);
  const exact = vms.filter((v) => v.tags.get(tagKey) === plug);
  const inFilter = exact.filter((v) => isInFilter(v, filter));
  const live = inFilter.filter((v) => v.state !== 'terminated');
  const liveOutside = exact.filter((v) => v.state !== 'terminated' && !isInFilter(v, filter));
  const candidates = live.length > 0 ? live : inFilter;
  const poweredOutside = liveOutside.filter((v) => v.state !== 'stopped');
  const retag = "nothing was done: tag the node's VM with the filter tag, or check the plug";
  if (candidates.length === 0 && exact.length > 0)
    throw new FenceError(
      `no VM with the tag ${tagKey}=${plug} carries the tag ${filter} (filter): ${exact.map((v) => v.id).join(', ')} ` +
        `is outside this device; ${retag}`,
    );
  // A deleted namesake inside the filter must not stand for a live node outside it: "already off" would be false.
  if (live.length === 0 && liveOutside.length > 0)
    throw new FenceError(
      `the tag ${tagKey}=${plug} is on terminated VMs only (${inFilter.map((v) => v.id).join(', ')}) within the filter ` +
        `${filter}, and on ${liveOutside.map((v) => `${v.id} (${v.state})`).join(', ')} outside this device; ${retag}`,
    );
  // Nor a stopped one (a node's VM rebuilt without the filter's tag, the old one kept): the node may be the namesake that runs.
  if (candidates.length > 0 && candidates.every((v) => v.state === 'stopped') && poweredOutside.length > 0)
    throw new FenceError(
      `the tag ${tagKey}=${plug} is on stopped VMs only (${candidates.map((v) => v.id).join(', ')}) within the filter ${filter}, ` +
        `and on ${poweredOutside.map((v) => `${v.id} (${v.state})`).join(', ')} outside this device: which one is the node ` +
        `cannot be told, so "already off" cannot be answered; nothing was done: tag the node's VM with the filter tag and ` +
        `remove it from the other, or map the node to its VM ID with pcmk_host_map`,
    );
  if (candidates.length === 0)
    throw new PlugNamesNoVm(`no VM has the tag ${tagKey}=${plug}: tag the VM, set tag_key, or map the node with pcmk_host_map=${plug}:i-…`);
  if (candidates.length > 1)
    throw new FenceError(
      `the tag ${tagKey}=${plug} matches ${candidates.length} VMs${filter !== undefined ? ` of filter ${filter}` : ''} ` +
        `(${candidates.map((v) => v.id).join(', ')}); nothing was done: ` +
        'make the tag unique, or map the node to one VM ID with pcmk_host_map',
    );
  return candidates[0] as Vm;
}

// An unknown ID is answered with an error (5063, or 4105 for a malformed one) or with an
// empty list. Both mean "no such VM".
async function readVmsOrNone(api: OutscaleApi, vmId: string, deadline: Deadline): Promise<Vm[]> {
  try {
    return (await readVms(api, { filters: { VmIds: [vmId] } }, deadline)).vms;
  } catch (e) {
    if (e instanceof OutscaleApiError && e.status === 400 && (e.code === '5063' || e.code === '4105')) return [];
    throw e;
  }
}
