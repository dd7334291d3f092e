// SPDX-License-Identifier: Apache-2.0
// Before fencing: the targets can be fenced, and this node's own VM is not going down (two nodes fencing each other).
import { FenceError, type FenceContext } from '../../lib/fence/index.js';
import { loginTimeoutMs, type OutscaleConnection } from './connection.js';
import { instanceIdUrl, readOwnVmId } from './metadata-service.js';
import { readOnce } from './power.js';
import { shutdownProblem } from './target-checks.js';

/**
 * Race protection, before any plug is stopped: every target can be fenced by a stop, and this
 * node's own VM is known (metadata service). Fencing its own VM is allowed unless
 * refuse_self_fencing: Pacemaker asks for it only when no other node can. The own-state check
 * itself runs right before each StopVms (stopVm). The targets are as the kit's first power
 * read just found them.
 */
export async function beforeFencing(c: OutscaleConnection, plugs: readonly string[], ctx: FenceContext): Promise<void> {
  for (const plug of plugs) {
    const problem = shutdownProblem(await readOnce(c, plug, ctx), c.o);
    if (problem !== undefined) throw new FenceError(problem);
  }
  if (c.o.skip_race_check && !c.o.refuse_self_fencing) return;
  const own = await readOwnVmId(instanceIdUrl(c.o.metadata_url), loginTimeoutMs(c.o), ctx.deadline);
  if ('unknown' in own) {
    if (c.o.refuse_self_fencing)
      throw new FenceError(`${own.unknown}: refuse_self_fencing is set and this node's own VM is not known; nothing was done`);
    ctx.log.warn(`${own.unknown}; fencing without the race check (set skip_race_check=true off Outscale)`);
    return;
  }
  c.ownVmId = own.vmId;
  for (const plug of plugs) {
    const vm = await readOnce(c, plug, ctx);
    if (vm.id !== own.vmId) continue;
    if (c.o.refuse_self_fencing)
      throw new FenceError(
        `refusing to fence ${plug}: VM ${vm.id} is the VM this agent runs on (metadata service), and refuse_self_fencing is set`,
      );
    ctx.log.warn(
      `fencing ${plug}, the VM this agent runs on (${vm.id}): Pacemaker asks a node to fence itself only when no other node can`,
    );
  }
}
