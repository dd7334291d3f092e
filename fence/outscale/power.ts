// SPDX-License-Identifier: Apache-2.0
// fence_outscale's power actions: StopVms (forced, own-state checked first) and StartVms, with their answers.
import { FenceError, type FenceContext, type SetPowerAnswer } from '../../lib/fence/index.js';
import { sleep } from '../../lib/time/index.js';
import type { OutscaleConnection } from './connection.js';
import { OutscaleApiError } from './errors.js';
import { readVms, startVms, stopVms, type Vm, type VmStateChange } from './vms.js';
import { messageOf } from '../../lib/unknown/index.js';
import { shutdownProblem } from './target-checks.js';

/**
 * StopVms with ForceStop, unless the VM is already deleted. Right before it, this node's own VM
 * is read again: in a two-node split both nodes may pass the first check within
 * one API round trip, so the later one to get here sees itself stopping and yields. That is best
 * effort; pcmk_delay_max or priority-fencing-delay is what separates the two.
 */
export async function stopVm(c: OutscaleConnection, plug: string, ctx: FenceContext): Promise<SetPowerAnswer> {
  const vm = await readOnce(c, plug, ctx);
  const problem = shutdownProblem(vm, c.o);
  if (problem !== undefined) throw new FenceError(problem);
  if (vm.state === 'terminated') {
    ctx.log.info(`VM ${vm.id} (plug ${plug}) is terminated: nothing to stop`);
    return { wasAtTarget: true };
  }
  const own = c.ownVmId;
  if (own !== undefined && own !== vm.id && !c.o.skip_race_check) {
    let ownState: string | undefined;
    try {
      ownState = (await readVms(c.api, { filters: { VmIds: [own] } }, ctx.deadline)).vms[0]?.state;
    } catch (e) {
      ctx.log.warn(`could not read this node's own VM ${own} (${messageOf(e)}); fencing without the own-state check`);
    }
    if (ownState !== undefined && ownState !== 'running' && ownState !== 'pending')
      throw new FenceError(
        `refusing to fence ${plug}: this node's own VM ${own} is ${ownState}, so it is being fenced itself; ` +
          `set skip_race_check=true to override`,
      );
  }
  if (vm.shutdownBehavior === 'terminate')
    ctx.log.warn(`VM ${vm.id} has VmInitiatedShutdownBehavior=terminate and allow_terminate is set: this stop deletes it`);
  try {
    return stopAnswer(vm.id, await stopVms(c.api, [vm.id], ctx.deadline), ctx);
  } catch (e) {
    // 6003 InvalidState: the VM cannot be stopped because it is already going down (shutting-down).
    if (!(e instanceof OutscaleApiError && e.code === '6003')) throw e;
    const now = await c.findVm(plug, ctx.deadline);
    if (!goingDown.has(now.state)) throw e;
    ctx.log.info(`StopVms: VM ${vm.id} is ${now.state}, already going down (6003): waiting for it to be stopped or terminated`);
    return { wasAtTarget: false };
  }
}

/**
 * What StopVms said of the VM: stopped before the request, or not. An answer that does not
 * name the VM counts as "not stopped", so the kit asks for more than one stopped read.
 */
function stopAnswer(vmId: string, changes: readonly VmStateChange[], ctx: FenceContext): SetPowerAnswer {
  const change = changes.find((ch) => ch.id === vmId);
  if (change === undefined) {
    ctx.log.debug(`StopVms did not say what state VM ${vmId} was in: its stop is confirmed by two reads`);
    return { wasAtTarget: false };
  }
  ctx.log.debug(`StopVms: VM ${vmId} was ${change.previousState}, is now ${change.currentState}`);
  return { wasAtTarget: change.previousState === 'stopped' };
}

/** The VM as this call last read it (the kit's first power read of off), else read now. */
export async function readOnce(c: OutscaleConnection, plug: string, ctx: FenceContext): Promise<Vm> {
  return c.lastRead(plug) ?? (await c.findVm(plug, ctx.deadline));
}

const goingDown = new Set(['stopping', 'shutting-down', 'stopped', 'terminated']);

/** StartVms; a VM that is still stopping is waited for first (it cannot be started before it is stopped). */
export async function startVm(c: OutscaleConnection, plug: string, ctx: FenceContext): Promise<void> {
  let vm = await c.findVm(plug, ctx.deadline);
  if (vm.state === 'stopping' || vm.state === 'shutting-down')
    ctx.log.info(`VM ${vm.id} (plug ${plug}) is ${vm.state}: waiting for it to be stopped before starting it`);
  while (vm.state === 'stopping' || vm.state === 'shutting-down') {
    if (ctx.deadline.remainingMs() < 100) throw new FenceError(`Timed out waiting to power ON ${plug}: VM ${vm.id} is still ${vm.state}`);
    await sleep(Math.max(100, c.o.stonith_status_sleep * 1000), ctx.deadline);
    vm = await c.findVm(plug, ctx.deadline);
  }
  await startVms(c.api, [vm.id], ctx.deadline);
}
