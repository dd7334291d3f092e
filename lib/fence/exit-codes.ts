// SPDX-License-Identifier: Apache-2.0

/**
 * Fence agent exit codes (fence-agents' FenceAgentAPI.md). fencing.py defines twelve EC_* codes
 * but exits 1 for every failure, and Pacemaker reads only these three.
 */
export const FenceExit = {
  /** The action succeeded, or `status` found the plug on. */
  SUCCESS: 0,
  /** Any failure: the device could not be reached, the action did not complete, bad input. */
  FAILED: 1,
  /** `status` found the plug off. */
  OFF: 2,
} as const;

export type FenceExitCode = (typeof FenceExit)[keyof typeof FenceExit];
