// SPDX-License-Identifier: Apache-2.0
// fence_outscale's checks of the VMs it may fence: their shutdown behaviour, and the filter's match.
import { FenceError, type FenceContext } from '../../lib/fence/index.js';
import { connect, type OutscaleConnection, type ResolvedSettings } from './connection.js';
import type { OutscaleOptions } from './options.js';
import { PlugNamesNoVm } from './target.js';
import { type Vm, readAllVms, tagFilters } from './vms.js';
import { messageOf } from '../../lib/unknown/index.js';

/**
 * Why a stop cannot fence this VM, or undefined. `terminate` makes a stop delete the VM (and
 * the volumes set to go with it): refused unless allow_terminate. `restart` makes it boot again
 * at once, so off could never see it stopped, and a reboot could not tell a restart from a VM
 * that never went down: always refused.
 */
export function shutdownProblem(vm: Vm, o: OutscaleOptions): string | undefined {
  // Deleted already: no stop is sent, so nothing can delete or restart it; it is off.
  if (vm.state === 'terminated') return undefined;
  const behaviour = vm.shutdownBehavior;
  const name = vm.tags.get(o.tag_key);
  const which = `VM ${vm.id}${name !== undefined ? ` (${name})` : ''}`;
  const fix = `run UpdateVm with VmInitiatedShutdownBehavior=stop on ${vm.id}`;
  if (behaviour === 'terminate' && !o.allow_terminate)
    return (
      `${which} has VmInitiatedShutdownBehavior=terminate: a stop would delete it. Refused: ${fix}, or set allow_terminate=true ` +
      `to fence it anyway`
    );
  if (behaviour === 'restart')
    return `${which} has VmInitiatedShutdownBehavior=restart: a stop restarts it, so it can never be confirmed off. Refused: ${fix}`;
  return undefined;
}

/**
 * monitor and validate-all: every target (the plugs, else the filter's VMs) can be fenced by a
 * stop. Without plugs, the filter must match a VM, and no two live VMs in it may share a
 * tag_key value (a fence of that node would fail as ambiguous). `unknownPlugs: 'warn'` is
 * validate-all's: a plug that names no VM is a warning, and the filter is checked as a whole too.
 */
export async function checkTargets(c: OutscaleConnection, ctx: FenceContext, unknownPlugs: 'fail' | 'warn' = 'fail'): Promise<void> {
  const plugs = ctx.plugs;
  const found = async (plug: string): Promise<Vm[]> => {
    try {
      return [await c.findVm(plug, ctx.deadline)];
    } catch (e) {
      if (!(e instanceof PlugNamesNoVm) || unknownPlugs === 'fail') throw e;
      ctx.log.warn(`${e.reason} (validate-all does not fail on it: Pacemaker validates a device with the plug node1)`);
      return [];
    }
  };
  const vms = (await Promise.all(plugs.map(found))).flat();
  // validate-all checks the whole device too: the plug Pacemaker sends it says nothing of the filter.
  if (plugs.length === 0 || (unknownPlugs === 'warn' && c.o.filter !== undefined)) {
    const inFilter = await readAllVms(c.api, tagFilters(c.o.filter), ctx.deadline);
    checkFilterVms(inFilter, c.o);
    vms.push(...inFilter.filter((vm) => !vms.some((v) => v.id === vm.id)));
  }
  const problems = vms.map((vm) => shutdownProblem(vm, c.o)).filter((p) => p !== undefined);
  for (const p of problems.slice(0, -1)) ctx.log.err(p);
  if (problems.length > 0) throw new FenceError(problems.at(-1)!);
}

/**
 * The VMs of the filter: at least one, and no tag_key value on two live VMs. Nodes are found by
 * that tag (docs/fence_outscale.md), so a namesake, even a stopped leftover, makes fencing that
 * node fail as ambiguous: monitor says so before a fence needs it.
 */
function checkFilterVms(vms: readonly Vm[], o: OutscaleOptions): void {
  if (vms.length === 0)
    throw new FenceError(
      `filter ${o.filter} matches no VM in this account and region: this device could fence no node; ` +
        'check the tag (key=value, case-sensitive), the region and the endpoint',
    );
  const byName = new Map<string, string[]>();
  for (const vm of vms) {
    const name = vm.tags.get(o.tag_key);
    if (name === undefined || vm.state === 'terminated') continue;
    byName.set(name, [...(byName.get(name) ?? []), vm.id]);
  }
  for (const [name, ids] of byName)
    if (ids.length > 1)
      throw new FenceError(
        `the tag ${o.tag_key}=${name} is on ${ids.length} VMs of filter ${o.filter} (${ids.join(', ')}): fencing ${name} would ` +
          'fail as ambiguous; make the tag unique (remove or rename the leftover), or set tag_key to a tag that is unique',
      );
}

/**
 * validate-all: the targets' shutdown behaviour when there is a plug or a filter to read. A
 * refusal fails validation; an API that cannot be reached is only a warning, as validate-all
 * is about the configuration. So is a plug that names no VM: Pacemaker's validation of a device
 * (pcs stonith create, stonith_admin --validate) always sends plug=node1, a node that may not exist.
 */
export async function checkTargetsBestEffort(o: OutscaleOptions, settings: ResolvedSettings, ctx: FenceContext): Promise<void> {
  if (ctx.plugs.length === 0 && o.filter === undefined) return;
  let c: OutscaleConnection;
  try {
    c = await connect(o, ctx, settings);
    await checkTargets(c, ctx, 'warn');
  } catch (e) {
    if (e instanceof FenceError) throw e;
    ctx.log.warn(`could not read the targets' VmInitiatedShutdownBehavior: ${messageOf(e)}`);
  }
}
