// SPDX-License-Identifier: Apache-2.0
// What a vip start leaves in its state file for monitor and stop.
import { isAbsentOr, isFiniteNumber, isRecord, isString } from '../../lib/unknown/index.js';
import type { Placement } from './iproute.js';

/** What start saved: where the address went, and what else it changed, for stop to undo. */
export interface StartedPlacement extends Placement {
  readonly addressLabel?: number | undefined;
  /** lvs_support: the prefix of the copy on lo that start removed, to put back at stop. */
  readonly loopbackPrefix?: number | undefined;
}

/** Saved by lvs_support before the address is added: only the lo copy to put back, no placement yet. */
export interface LoopbackAside {
  readonly loopbackPrefix: number;
}

export type SavedState = StartedPlacement | LoopbackAside;

export function isSavedState(value: unknown): value is SavedState {
  if (!isRecord(value) || !isAbsentOr(value.loopbackPrefix, isFiniteNumber)) return false;
  if (value.nic === undefined) return value.loopbackPrefix !== undefined;
  return (
    isString(value.nic) &&
    isFiniteNumber(value.prefix) &&
    (value.family === 4 || value.family === 6) &&
    isAbsentOr(value.addressLabel, isFiniteNumber)
  );
}

export function placementIn(saved: SavedState | undefined): StartedPlacement | undefined {
  return saved !== undefined && 'nic' in saved ? saved : undefined;
}
