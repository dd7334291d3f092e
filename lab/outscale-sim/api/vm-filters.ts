// SPDX-License-Identifier: Apache-2.0
// ReadVms Filters (spec FiltersVm). Filters the spec allows but the simulator does not model are refused
// loudly instead of ignored, so a test never passes because a filter silently matched every VM.
import { apiErrors } from './api-errors.js';
import { isObject } from '../json.js';
import type { VmRecord } from '../fleet/vm-fleet.js';
import { vmIdPattern, vmStateCodes } from '../fleet/vm-states.js';

type Predicate = (vm: VmRecord) => boolean;

const simulatedFilters: Readonly<Record<string, (values: readonly unknown[]) => Predicate>> = {
  VmIds: (ids) => {
    for (const id of ids) if (typeof id !== 'string' || !vmIdPattern.test(id)) throw apiErrors.malformedId(String(id));
    return (vm) => ids.includes(vm.config.vmId);
  },
  TagKeys: (keys) => (vm) => [...vm.tags.keys()].some((k) => keys.includes(k)),
  TagValues: (values) => (vm) => [...vm.tags.values()].some((v) => values.includes(v)),
  Tags: (pairs) => {
    const parsed = pairs.map((p) => {
      const eq = typeof p === 'string' ? p.indexOf('=') : -1;
      if (typeof p !== 'string' || eq <= 0) throw apiErrors.invalidParameterValue(`Filters.Tags: "${String(p)}" is not KEY=VALUE`);
      return [p.slice(0, eq), p.slice(eq + 1)] as const;
    });
    return (vm) => parsed.some(([k, v]) => vm.tags.get(k) === v);
  },
  VmStateNames: (names) => (vm) => names.includes(vm.state),
  VmStateCodes: (codes) => (vm) => codes.includes(vmStateCodes[vm.state]),
  PrivateIps: (ips) => (vm) => vm.config.privateIp !== undefined && ips.includes(vm.config.privateIp),
  SubregionNames: (names) => (vm) => names.includes(vm.config.subregionName),
};

/** The VMs that match every given filter (the body was already checked against the schema). */
export function filterVms(vms: readonly VmRecord[], filters: unknown): VmRecord[] {
  if (!isObject(filters)) return [...vms];
  const predicates: Predicate[] = [];
  for (const [name, values] of Object.entries(filters)) {
    const make = simulatedFilters[name];
    if (make === undefined)
      throw apiErrors.invalidParameter(
        `Filters.${name} is valid in the spec but not simulated (simulated: ${Object.keys(simulatedFilters).join(', ')})`,
      );
    if (!Array.isArray(values)) throw apiErrors.invalidParameterValue(`Filters.${name} must be an array`);
    predicates.push(make(values));
  }
  return vms.filter((vm) => predicates.every((p) => p(vm)));
}
