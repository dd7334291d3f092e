// SPDX-License-Identifier: Apache-2.0
import type { Deadline } from '../../lib/time/index.js';
import type { OutscaleApi } from './api.js';
import { OutscaleApiError } from './errors.js';
import { isRecord } from '../../lib/unknown/index.js';

/** The fields of an Outscale `Vm` the agent uses. */
export interface Vm {
  readonly id: string;
  readonly state: string;
  readonly tags: ReadonlyMap<string, string>;
  /** stop | restart | terminate: what a stop does to this VM. */
  readonly shutdownBehavior?: string;
}

/** The ReadVms filters the agent sends (a subset of FiltersVm). */
export interface VmFilters {
  readonly VmIds?: readonly string[];
  /** Exact tag pairs, "Key=Value": TagKeys and TagValues would match independently. */
  readonly Tags?: readonly string[];
}

/** The VMs the filter option names (list, monitor, the plugs allowed): its tag, or every VM without one. */
export function tagFilters(filter: string | undefined): VmFilters {
  return filter !== undefined ? { Tags: [filter] } : {};
}

/** One page of ReadVms. */
export async function readVms(
  api: OutscaleApi,
  request: { filters?: VmFilters; resultsPerPage?: number; nextPageToken?: string },
  deadline: Deadline,
): Promise<{ vms: Vm[]; nextPageToken?: string }> {
  const body: Record<string, unknown> = {};
  if (request.filters && Object.keys(request.filters).length > 0) body.Filters = request.filters;
  if (request.resultsPerPage !== undefined) body.ResultsPerPage = request.resultsPerPage;
  if (request.nextPageToken !== undefined) body.NextPageToken = request.nextPageToken;
  const answer = await api.call('ReadVms', body, deadline);
  return parseReadVms(answer);
}

/** Every VM matching `filters`, following NextPageToken (bounded by the deadline like every call). */
export async function readAllVms(api: OutscaleApi, filters: VmFilters, deadline: Deadline): Promise<Vm[]> {
  const all: Vm[] = [];
  let token: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const r = await readVms(api, { filters, resultsPerPage: 1000, ...(token !== undefined ? { nextPageToken: token } : {}) }, deadline);
    all.push(...r.vms);
    if (r.nextPageToken === undefined || r.nextPageToken === '' || r.vms.length === 0) break;
    token = r.nextPageToken;
  }
  return all;
}

/** One VM of a StopVms answer: the state before the request and right after it. */
export interface VmStateChange {
  readonly id: string;
  readonly previousState: string;
  readonly currentState: string;
}

/**
 * Asks for a stop; ForceStop because a fenced VM must not finish a graceful shutdown first.
 * Returns the answer's state changes; a VM missing from them is one the answer says nothing about.
 */
export async function stopVms(api: OutscaleApi, vmIds: readonly string[], deadline: Deadline): Promise<VmStateChange[]> {
  return parseStateChanges(await api.call('StopVms', { VmIds: vmIds, ForceStop: true }, deadline));
}

/** The Vms list of a StopVms or StartVms answer; entries without the three fields are left out. */
export function parseStateChanges(answer: unknown): VmStateChange[] {
  const list = isRecord(answer) && Array.isArray(answer.Vms) ? (answer.Vms as unknown[]) : [];
  return list.flatMap((raw) =>
    isRecord(raw) && typeof raw.VmId === 'string' && typeof raw.PreviousState === 'string' && typeof raw.CurrentState === 'string'
      ? [{ id: raw.VmId, previousState: raw.PreviousState, currentState: raw.CurrentState }]
      : [],
  );
}

export async function startVms(api: OutscaleApi, vmIds: readonly string[], deadline: Deadline): Promise<void> {
  await api.call('StartVms', { VmIds: vmIds }, deadline);
}

/** Types a ReadVms answer; a missing or odd field is a protocol error, not an empty list. */
export function parseReadVms(answer: unknown): { vms: Vm[]; nextPageToken?: string } {
  const vmsField = isRecord(answer) ? answer.Vms : undefined;
  if (!Array.isArray(vmsField)) throw new OutscaleApiError('ReadVms', 'the answer has no Vms list', { transient: false });
  const vms = vmsField.map((raw: unknown): Vm => {
    if (!isRecord(raw) || typeof raw.VmId !== 'string' || typeof raw.State !== 'string')
      throw new OutscaleApiError('ReadVms', 'the answer has a VM without VmId or State', { transient: false });
    const tags = new Map<string, string>();
    if (Array.isArray(raw.Tags))
      for (const t of raw.Tags as unknown[])
        if (isRecord(t) && typeof t.Key === 'string' && typeof t.Value === 'string') tags.set(t.Key, t.Value);
    return {
      id: raw.VmId,
      state: raw.State,
      tags,
      ...(typeof raw.VmInitiatedShutdownBehavior === 'string' ? { shutdownBehavior: raw.VmInitiatedShutdownBehavior } : {}),
    };
  });
  const token = isRecord(answer) && typeof answer.NextPageToken === 'string' ? answer.NextPageToken : undefined;
  return token !== undefined ? { vms, nextPageToken: token } : { vms };
}
