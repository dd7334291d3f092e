// SPDX-License-Identifier: Apache-2.0
// The simulator's state: fleet, faults, authentication counters, request log and hook runs; reset to the config.
import { Authenticator } from './auth/authenticator.js';
import { initialFaultsOf, type SimConfig } from './config.js';
import { parseFaults, type Faults } from './api/faults.js';
import { runHook, type HookRun } from './fleet/hooks.js';
import { RequestLog } from './http/request-log.js';
import { VmFleet, type VmRecord } from './fleet/vm-fleet.js';
import type { VmStateName } from './fleet/vm-states.js';

export class Simulator {
  readonly fleet: VmFleet;
  readonly auth: Authenticator;
  readonly log: RequestLog;
  readonly hookRuns: HookRun[] = [];
  private currentFaults: Faults;

  constructor(
    readonly config: SimConfig,
    logFile?: string,
  ) {
    this.fleet = new VmFleet(config.vms, (vm, previous) => this.onVmReached(vm, previous));
    this.auth = new Authenticator(config.accounts, config.region, config.auth);
    this.log = new RequestLog(logFile);
    this.currentFaults = initialFaultsOf(config);
    this.applyFaults(this.currentFaults);
  }

  get faults(): Faults {
    return this.currentFaults;
  }

  /** Replaces every fault (from POST /_sim/faults); terminateVmIds take effect at once. */
  setFaults(value: unknown): Faults {
    const faults = parseFaults(value);
    for (const id of faults.terminateVmIds)
      if (this.fleet.get(id) === undefined) throw new Error(`faults.terminateVmIds: no VM ${id} in the config`);
    this.currentFaults = faults;
    this.applyFaults(faults);
    return faults;
  }

  /** Back to the config: VM states and tags, faults, auth counters, log and hook runs (no hooks run). */
  reset(): void {
    this.fleet.reset();
    this.auth.reset();
    this.log.clear();
    this.hookRuns.length = 0;
    this.currentFaults = initialFaultsOf(this.config);
    this.applyFaults(this.currentFaults);
  }

  private applyFaults(faults: Faults): void {
    this.fleet.setNeverStop(faults.neverStopVmIds);
    for (const id of faults.terminateVmIds) this.fleet.terminateNow(id);
  }

  private onVmReached(vm: VmRecord, previous: VmStateName): void {
    const { onStopped, onRunning } = vm.config.hooks;
    const wasDown = previous === 'stopped' || previous === 'terminated';
    if ((vm.state === 'stopped' || vm.state === 'terminated') && !wasDown && onStopped !== undefined)
      this.hookRuns.push(runHook(vm.config.vmId, 'onStopped', onStopped, vm.state));
    if (vm.state === 'running' && onRunning !== undefined) this.hookRuns.push(runHook(vm.config.vmId, 'onRunning', onRunning, vm.state));
  }
}
