// SPDX-License-Identifier: Apache-2.0
// VM state names and codes, as in the spec's FiltersVm.VmStateNames / VmStateCodes.

export const vmStateCodes = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
} as const;

export type VmStateName = keyof typeof vmStateCodes;

export function isVmStateName(value: unknown): value is VmStateName {
  return typeof value === 'string' && Object.hasOwn(vmStateCodes, value);
}

/** The VM's `VmInitiatedShutdownBehavior`: what a stop turns into (research §3.4, open question 7). */
export type ShutdownBehavior = 'stop' | 'restart' | 'terminate';

export function isShutdownBehavior(value: unknown): value is ShutdownBehavior {
  return value === 'stop' || value === 'restart' || value === 'terminate';
}

export const vmIdPattern = /^i-[0-9a-f]{8,17}$/;
