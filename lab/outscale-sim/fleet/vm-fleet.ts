// SPDX-License-Identifier: Apache-2.0
// The simulated VMs and their time-based state machine:
// StopVms running -> stopping -> stopped (or shutting-down -> pending -> running / terminated, per shutdown behaviour),
// StartVms stopped -> pending -> running. Terminated VMs stay terminated.
import { apiErrors } from '../api/api-errors.js';
import type { VmConfig } from '../config.js';
import type { VmStateName } from './vm-states.js';

/** States from which StopVms / StartVms answer an InvalidState error. */
export const unstoppableStates: readonly VmStateName[] = ['terminated', 'shutting-down'];
export const unstartableStates: readonly VmStateName[] = ['stopping', 'shutting-down', 'terminated'];

export interface VmRecord {
  readonly config: VmConfig;
  state: VmStateName;
  stateSinceMs: number;
  tags: Map<string, string>;
  /** ForceStop of the last StopVms, for tests to assert on. */
  lastStopForced: boolean | undefined;
  timer: NodeJS.Timeout | undefined;
  /** When the pending transition is due, if one is scheduled. */
  dueAtMs: number | undefined;
}

export interface StateChange {
  readonly VmId: string;
  readonly PreviousState: VmStateName;
  readonly CurrentState: VmStateName;
}

/** Called whenever a VM reaches a new state on its own (timers) or by terminateNow. */
export type StateListener = (vm: VmRecord, previous: VmStateName) => void;

export class VmFleet {
  private readonly vms = new Map<string, VmRecord>();
  private neverStop = new Set<string>();

  constructor(
    private readonly configs: readonly VmConfig[],
    private readonly onReached: StateListener,
  ) {
    this.reset();
  }

  reset(): void {
    for (const vm of this.vms.values()) clearTimeout(vm.timer);
    this.vms.clear();
    for (const config of this.configs) {
      const vm: VmRecord = {
        config,
        state: config.state,
        stateSinceMs: Date.now(),
        tags: new Map(Object.entries(config.tags)),
        lastStopForced: undefined,
        timer: undefined,
        dueAtMs: undefined,
      };
      this.vms.set(config.vmId, vm);
      this.resumeTransition(vm);
    }
  }

  /**
   * A VM configured in a transitional state goes on as the API's would: stopping ends stopped,
   * pending running, and shutting-down (a deletion under way, or a stop of a VM with
   * VmInitiatedShutdownBehavior restart or terminate) ends terminated, or pending for restart.
   */
  private resumeTransition(vm: VmRecord): void {
    const t = vm.config.timings;
    if (vm.state === 'stopping' && !this.neverStop.has(vm.config.vmId)) this.schedule(vm, t.stopMs, 'stopped');
    else if (vm.state === 'pending') this.schedule(vm, t.startMs, 'running');
    else if (vm.state === 'shutting-down') this.schedule(vm, t.stopMs, vm.config.shutdownBehavior === 'restart' ? 'pending' : 'terminated');
  }

  get(vmId: string): VmRecord | undefined {
    return this.vms.get(vmId);
  }

  all(): VmRecord[] {
    return [...this.vms.values()];
  }

  /** VMs in this set go to `stopping` on StopVms and stay there. */
  setNeverStop(vmIds: readonly string[]): void {
    this.neverStop = new Set(vmIds);
    for (const vm of this.vms.values()) {
      if (vm.state !== 'stopping') continue;
      if (this.neverStop.has(vm.config.vmId)) {
        clearTimeout(vm.timer);
        vm.timer = undefined;
        vm.dueAtMs = undefined;
      } else if (vm.timer === undefined) {
        this.schedule(vm, vm.lastStopForced === true ? vm.config.timings.forceStopMs : vm.config.timings.stopMs, 'stopped');
      }
    }
  }

  stop(vmId: string, force: boolean): StateChange {
    const vm = this.mustGet(vmId);
    const previous = vm.state;
    switch (vm.state) {
      case 'stopped':
        return change(vm, previous);
      case 'terminated':
      case 'shutting-down':
        throw apiErrors.invalidState(`VM ${vmId} is ${vm.state} and cannot be stopped`);
      case 'stopping':
        vm.lastStopForced ||= force;
        // A forced stop cuts short a graceful one that is still running.
        if (force && vm.dueAtMs !== undefined && vm.dueAtMs - Date.now() > vm.config.timings.forceStopMs)
          this.schedule(vm, vm.config.timings.forceStopMs, 'stopped');
        return change(vm, previous);
      case 'pending':
      case 'running': {
        vm.lastStopForced = force;
        const durationMs = force ? vm.config.timings.forceStopMs : vm.config.timings.stopMs;
        if (vm.config.shutdownBehavior === 'stop') {
          this.enter(vm, 'stopping');
          if (!this.neverStop.has(vmId)) this.schedule(vm, durationMs, 'stopped');
        } else {
          this.enter(vm, 'shutting-down');
          this.schedule(vm, durationMs, vm.config.shutdownBehavior === 'restart' ? 'pending' : 'terminated');
        }
        return change(vm, previous);
      }
    }
  }

  start(vmId: string): StateChange {
    const vm = this.mustGet(vmId);
    const previous = vm.state;
    switch (vm.state) {
      case 'running':
      case 'pending':
        return change(vm, previous);
      case 'stopping':
      case 'shutting-down':
      case 'terminated':
        throw apiErrors.invalidState(`VM ${vmId} is ${vm.state} and cannot be started`);
      case 'stopped':
        this.enter(vm, 'pending');
        this.schedule(vm, vm.config.timings.startMs, 'running');
        return change(vm, previous);
    }
  }

  terminateNow(vmId: string): void {
    const vm = this.mustGet(vmId);
    if (vm.state === 'terminated') return;
    const previous = vm.state;
    this.enter(vm, 'terminated');
    this.onReached(vm, previous);
  }

  private mustGet(vmId: string): VmRecord {
    const vm = this.vms.get(vmId);
    if (vm === undefined) throw apiErrors.noSuchVm([vmId]);
    return vm;
  }

  private enter(vm: VmRecord, state: VmStateName): void {
    clearTimeout(vm.timer);
    vm.timer = undefined;
    vm.dueAtMs = undefined;
    vm.state = state;
    vm.stateSinceMs = Date.now();
  }

  private schedule(vm: VmRecord, afterMs: number, next: VmStateName): void {
    clearTimeout(vm.timer);
    vm.dueAtMs = Date.now() + afterMs;
    vm.timer = setTimeout(() => {
      const previous = vm.state;
      this.enter(vm, next);
      // After a restart-style shutdown the VM boots again on its own.
      if (next === 'pending') this.schedule(vm, vm.config.timings.startMs, 'running');
      this.onReached(vm, previous);
    }, afterMs);
    vm.timer.unref(); // the HTTP server keeps the simulator alive, not a VM's pending transition
  }
}

function change(vm: VmRecord, previous: VmStateName): StateChange {
  return { VmId: vm.config.vmId, PreviousState: previous, CurrentState: vm.state };
}
