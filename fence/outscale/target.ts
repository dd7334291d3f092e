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

/**
 * The one VM a plug names: a VM ID, or else the value of the `tagKey` tag (read over every
 * page of ReadVms). Zero or several matches fail and nothing is done. A terminated VM that kept the tag (ReadVms may show it for
 * up to an hour) does not make a live namesake ambiguous.
 */
export async function findTargetVm(api: OutscaleApi, plug: string, tagKey: string, deadline: Deadline): Promise<Vm> {
  if (vmIdPattern.test(plug)) {
    const vms = await readVmsOrNone(api, plug, deadline);
    const vm = vms.find((v) => v.id === plug);
    if (vm === undefined) throw new FenceError(`no VM ${plug} in this account and region: check the plug or pcmk_host_map`);
    return vm;
  }
  // Every page: a namesake on a later page must make the plug ambiguous, not go unseen.
  const vms = await readAllVms(api, { Tags: [`${tagKey}=${plug}`] }, deadline);
  const exact = vms.filter((v) => v.tags.get(tagKey) === plug);
  const live = exact.filter((v) => v.state !== 'terminated');
  const candidates = live.length > 0 ? live : exact;
  if (candidates.length === 0)
    throw new FenceError(`no VM has the tag ${tagKey}=${plug}: tag the VM, set tag_key, or map the node with pcmk_host_map=${plug}:i-…`);
  if (candidates.length > 1)
    throw new FenceError(
      `the tag ${tagKey}=${plug} matches ${candidates.length} VMs (${candidates.map((v) => v.id).join(', ')}); nothing was done: ` +
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
