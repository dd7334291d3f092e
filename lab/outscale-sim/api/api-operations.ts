// SPDX-License-Identifier: Apache-2.0
// ReadVms, StopVms, StartVms and CreateTags on the simulated fleet. Bodies were checked against the spec's
// request schemas before they get here. Each returns the response without its ResponseContext.
import { apiErrors } from './api-errors.js';
import type { JsonObject } from '../json.js';
import type { Operation } from './operations-list.js';
import { unstartableStates, unstoppableStates, type StateChange, type VmFleet } from '../fleet/vm-fleet.js';
import { filterVms } from './vm-filters.js';
import { vmIdPattern, type VmStateName } from '../fleet/vm-states.js';
import { vmToApi } from './vm-view.js';

export interface OperationContext {
  readonly fleet: VmFleet;
  readonly region: string;
  /** Fault: VM ID -> ReadVms answers still to show it stopped (decremented here). */
  readonly staleStopped: Map<string, number>;
  /** ReadVms page size when the request sets no ResultsPerPage, and the most one answer holds. */
  readonly paging: { readonly defaultResultsPerPage: number; readonly maxResultsPerPage: number };
}

type Handler = (body: JsonObject, ctx: OperationContext) => object;

export const operationHandlers: Readonly<Record<Operation, Handler>> = {
  ReadVms(body, ctx) {
    const matching = filterVms(ctx.fleet.all(), body.Filters);
    const { page, nextPageToken } = paginate(matching, body.ResultsPerPage, body.NextPageToken, ctx.paging);
    return {
      Vms: page.map((vm) => {
        const view = vmToApi(vm, ctx.region);
        const stale = ctx.staleStopped.get(vm.config.vmId) ?? 0;
        if (stale === 0) return view;
        ctx.staleStopped.set(vm.config.vmId, stale - 1);
        return { ...view, State: 'stopped' };
      }),
      ...(nextPageToken === undefined ? {} : { NextPageToken: nextPageToken }),
    };
  },

  StopVms(body, ctx) {
    const ids = idsToChange(body, ctx.fleet, unstoppableStates, 'stopped');
    if (ids === undefined) return {};
    const changes: StateChange[] = ids.map((id) => ctx.fleet.stop(id, body.ForceStop === true));
    return { Vms: changes };
  },

  StartVms(body, ctx) {
    const ids = idsToChange(body, ctx.fleet, unstartableStates, 'started');
    return ids === undefined ? {} : { Vms: ids.map((id) => ctx.fleet.start(id)) };
  },

  CreateTags(body, ctx) {
    const ids = knownVmIds(body.ResourceIds, ctx.fleet);
    const tags = Array.isArray(body.Tags) ? body.Tags : [];
    if (tags.length === 0) throw apiErrors.invalidParameter('Tags must list at least one tag');
    if (body.DryRun === true) return {};
    for (const id of ids)
      for (const tag of tags) {
        const { Key, Value } = tag as { Key?: unknown; Value?: unknown };
        if (typeof Key !== 'string' || Key === '') throw apiErrors.invalidParameterValue('every tag needs a Key');
        ctx.fleet.get(id)!.tags.set(Key, typeof Value === 'string' ? Value : '');
      }
    return {};
  },
};

/** Validates a VmIds-style list: well-formed IDs (4105), all known (5063), at least one. */
/** The VMs of body.VmIds, none in a state the call refuses; undefined for a DryRun that would succeed. */
function idsToChange(body: JsonObject, fleet: VmFleet, refused: readonly VmStateName[], participle: string): string[] | undefined {
  const ids = knownVmIds(body.VmIds, fleet);
  for (const id of ids) {
    const state = fleet.get(id)!.state;
    if (refused.includes(state)) throw apiErrors.invalidState(`VM ${id} is ${state} and cannot be ${participle}`);
  }
  return body.DryRun === true ? undefined : ids;
}

function knownVmIds(value: unknown, fleet: VmFleet): string[] {
  const ids = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  if (ids.length === 0) throw apiErrors.invalidParameter('at least one VM ID is required');
  const malformed = ids.find((id) => !vmIdPattern.test(id));
  if (malformed !== undefined) throw apiErrors.malformedId(malformed);
  const unknown = ids.filter((id) => fleet.get(id) === undefined);
  if (unknown.length > 0) throw apiErrors.noSuchVm(unknown);
  return [...new Set(ids)];
}

/**
 * Pages as the API does: without ResultsPerPage an answer holds the default page (100, the
 * spec's documented default for its other Read calls), and never more than the configured
 * maximum, so a client that ignores NextPageToken misses VMs.
 */
function paginate<T>(
  items: readonly T[],
  resultsPerPage: unknown,
  token: unknown,
  paging: OperationContext['paging'],
): { page: T[]; nextPageToken?: string } {
  let offset = 0;
  if (token !== undefined) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(String(token), 'base64').toString('utf8'));
    if (decoded === null) throw apiErrors.invalidParameterValue('NextPageToken is not a token this API returned');
    offset = Number(decoded[1]);
  }
  const asked = resultsPerPage === undefined ? paging.defaultResultsPerPage : Number(resultsPerPage);
  if (!Number.isInteger(asked) || asked < 1 || asked > 1000)
    throw apiErrors.invalidParameterValue('ResultsPerPage must be between 1 and 1000');
  const size = Math.min(asked, paging.maxResultsPerPage);
  const end = offset + size;
  return end < items.length
    ? { page: items.slice(offset, end), nextPageToken: Buffer.from(`offset:${end}`).toString('base64') }
    : { page: items.slice(offset) };
}
