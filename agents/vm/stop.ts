// SPDX-License-Identifier: Apache-2.0
import { existsSync } from 'node:fs';
import { which } from '../../lib/exec/index.js';
import { Ocf, OcfError, type ResourceContext } from '../../lib/ocf/index.js';
import { sleep, type Deadline } from '../../lib/time/index.js';
import { qemuOf, rbdFor, virshFor } from './resource.js';
import { isLocalQemuUri } from './hypervisor-uri.js';
import { vmIdentityOrGuess, type GuessedIdentity, type VmContext, type VmIdentity } from './identity.js';
import { killQemuProcesses } from './qemu-process.js';
import { configTextIfReadable, writeConfigFile } from './config-source.js';
import { saveConfig } from './save-config.js';
import type { VmParams } from './spec.js';
import { firstQuestionLeavesMs, stopReservesMs } from './stop-budget.js';
import { describeStatus, isNotDefined, type DomainStatus, type Virsh } from './virsh.js';
import { messageOf } from '../../lib/unknown/index.js';

// One virsh call while stopping: enough for a loaded libvirtd, short enough that a hung one
// (Ceph lost quorum, libvirtd stuck) cannot eat the budget.
const callMs = 3000;
// How often a stop asks a libvirtd that does not answer again.
const askAgainEveryMs = 1000;
// Polls of 0.5 s between two ACPI shutdown requests.
const pollsPerShutdownRequest = 6;

/**
 * Graceful shutdown within its share of the budget, then destroy, then, if libvirt cannot do it,
 * SIGKILL to the domain's QEMU found in /proc. Returns only once QEMU is gone; throws otherwise,
 * since a stop that lies lets Pacemaker start the VM a second time elsewhere.
 */
export async function stop(p: VmParams, ctx: VmContext): Promise<void> {
  const vm = vmIdentityOrGuess(ctx.resolved, ctx.state, ctx.instance);
  if (vm.unknownBecause !== undefined)
    ctx.log.warn(`${vm.unknownBecause}: stopping the domain named after the resource, ${vm.name}, if it runs here`);
  const reserves = stopReservesMs(ctx.deadline.remainingMs());
  const gracefulShare = ctx.deadline.leaving(reserves.destroyMs + reserves.killMs);
  if (which('virsh') === undefined) return stopWithoutLibvirt(p, vm, 'virsh is not installed', ctx);
  const virsh = virshFor(p);
  const firstQuestion = ctx.deadline.leaving(firstQuestionLeavesMs(ctx.deadline.remainingMs())).within(callMs);
  let status = await virsh.domstate(vm.name, firstQuestion);
  if (status.kind === 'unreachable') status = await waitForLibvirt(virsh, vm.name, status, gracefulShare, ctx);
  if (status.kind === 'unreachable') return stopWithoutLibvirt(p, vm, status.detail, ctx);
  if (status.kind === 'inactive') return forget(p, virsh, vm, ctx, status, vm.unknownBecause === undefined);

  if (!p.force_stop && status.kind === 'active') {
    // Under a guessed name the running domain may be another VM: its XML must not become this resource's.
    if ((p.save_config_on_stop || p.sync_config_on_stop) && vm.unknownBecause === undefined)
      await saveConfig(
        virsh,
        vm,
        vm.systemImage ? rbdFor(p) : undefined,
        p.sync_config_on_stop,
        ctx,
        ctx.deadline.within(Math.min(5000, gracefulShare.remainingMs() / 3)),
      );
    status = await shutDown(virsh, vm.name, p.shutdown_mode, gracefulShare, ctx);
    if (status.kind === 'inactive') return forget(p, virsh, vm, ctx, status, vm.unknownBecause === undefined);
  }

  ctx.log.info(`destroying ${vm.name}`);
  try {
    await virsh.destroy(vm.name, ctx.deadline.leaving(reserves.killMs));
  } catch (e) {
    ctx.log.warn(`virsh destroy ${vm.name} failed: ${messageOf(e)}`);
  }
  status = await virsh.domstate(vm.name, ctx.deadline.within(Math.min(callMs, Math.floor(ctx.deadline.remainingMs() / 2))));
  if (status.kind === 'inactive') return forget(p, virsh, vm, ctx, status, vm.unknownBecause === undefined);
  return stopWithoutLibvirt(p, vm, `after destroy, libvirt says ${vm.name} is ${describeStatus(status)}`, ctx, 0);
}

/** libvirtd restarting: ask again, once a second, within the graceful share, before going around it. */
async function waitForLibvirt(
  virsh: Virsh,
  name: string,
  status: DomainStatus,
  deadline: Deadline,
  ctx: ResourceContext,
): Promise<DomainStatus> {
  if (deadline.remainingMs() <= askAgainEveryMs) return status;
  ctx.log.warn(
    `libvirt does not answer (${describeStatus(status)}): asking again for up to ${Math.round(deadline.remainingMs() / 1000)} s before ` +
      `killing ${name}'s QEMU`,
  );
  while (status.kind === 'unreachable' && deadline.remainingMs() > askAgainEveryMs) {
    await sleep(askAgainEveryMs, deadline);
    status = await virsh.domstate(name, deadline.within(callMs));
  }
  return status;
}

/** Asks the guest to power off and waits for it within `deadline`; returns the last state seen. */
async function shutDown(
  virsh: Virsh,
  name: string,
  mode: string | undefined,
  deadline: Deadline,
  ctx: ResourceContext,
): Promise<DomainStatus> {
  ctx.log.info(
    `shutting down ${name}${mode ? ` (mode ${mode})` : ''} (up to ${Math.round(deadline.remainingMs() / 1000)} s before destroying it)`,
  );
  const request = async (): Promise<void> => {
    if (!mode) return virsh.shutdown(name, deadline.within(callMs));
    try {
      await virsh.shutdown(name, deadline.within(callMs), mode);
    } catch (e) {
      ctx.log.warn(`virsh shutdown --mode ${mode} ${name} failed (${messageOf(e)}): asking without a mode`);
      await virsh.shutdown(name, deadline.within(callMs));
    }
  };
  try {
    await request();
  } catch (e) {
    ctx.log.warn(`virsh shutdown ${name} failed: ${messageOf(e)}; destroying it`);
    return { kind: 'unreachable', detail: messageOf(e) };
  }
  let warnedUnreachable = false;
  for (let polls = 1; ; polls++) {
    const status = await virsh.domstate(name, deadline.within(callMs));
    // libvirtd restarting mid-shutdown says nothing of the guest, which may still be powering off:
    // going on to destroy (and, libvirt still away, to SIGKILL) would cut its shutdown short.
    if (status.kind === 'unreachable' && !warnedUnreachable) {
      warnedUnreachable = true;
      ctx.log.warn(`libvirt does not answer while ${name} shuts down (${status.detail}): still waiting for the guest`);
    }
    if (status.kind !== 'active' && status.kind !== 'unreachable') return status;
    // Past this point the next poll, after the 500 ms sleep, could be cut short by the share's end.
    if (deadline.remainingMs() < 1000) {
      const libvirtAway = status.kind === 'unreachable' ? ' (libvirt still does not answer)' : '';
      ctx.log.info(`${name} did not shut down in time${libvirtAway}; destroying it`);
      return status;
    }
    // A guest still booting misses the ACPI power button: press it again every few seconds.
    if (polls % pollsPerShutdownRequest === 0) await request().catch(() => undefined);
    await sleep(500, deadline);
  }
}

/**
 * libvirt says the domain is off or unknown: /proc confirms before the stop succeeds. Then any
 * persistent definition goes, so that the VM is defined only where it runs. A domain libvirt does
 * not know (transient, or migrated away: every stop after a migration) has nothing to undefine.
 */
async function forget(
  p: VmParams,
  virsh: Virsh,
  vm: VmIdentity,
  ctx: ResourceContext,
  status: DomainStatus,
  nameIsKnown: boolean,
): Promise<void> {
  if (procTells(p) && qemuOf(vm, ctx).length > 0) return stopWithoutLibvirt(p, vm, `libvirt does not know ${vm.name} as running`, ctx, 0);
  ctx.state.remove();
  ctx.log.info(`${vm.name} is stopped`);
  // A definition found under a guessed name may be another VM's: left alone.
  if (isNotDefined(status) || !nameIsKnown) return;
  // The VM is stopped whatever happens next: a slow or failing undefine must not fail the stop.
  // `virsh undefine` deletes a config kept in libvirt's own directory: it is written back, as start does.
  const config = configTextIfReadable(vm.config);
  await ctx.bestEffort(`virsh undefine ${vm.name}`, (deadline) => virsh.undefine(vm.name, deadline), { withinMs: callMs });
  if (config === undefined || existsSync(vm.config)) return;
  try {
    writeConfigFile(vm.config, config);
  } catch (e) {
    // The VM is stopped: a stop that failed here would get the node fenced for a file.
    ctx.log.warn(`virsh undefine removed ${vm.config} and it cannot be written back: ${messageOf(e)}`);
  }
}

/** This node's /proc shows the domain's QEMU only when the hypervisor is this node's own QEMU driver. */
function procTells(p: VmParams): boolean {
  return isLocalQemuUri(p.hypervisor);
}

/**
 * libvirt cannot answer: with a local QEMU hypervisor the truth is in /proc. No QEMU of the domain
 * on this node means stopped; otherwise SIGTERM (when libvirt has not tried yet), SIGKILL, and wait.
 * With any other hypervisor nothing here can tell, so the stop fails, unless nothing on this node
 * names the domain either (a guessed name): then it is considered stopped, as VirtualDomain does without its file.
 */
async function stopWithoutLibvirt(p: VmParams, vm: GuessedIdentity, why: string, ctx: ResourceContext, termGraceMs = 2000): Promise<void> {
  if (!procTells(p) && vm.unknownBecause !== undefined) {
    // Nothing on this node names the domain, and nothing here can look for it: VirtualDomain's answer without the file.
    ctx.log.warn(`${vm.unknownBecause}, and libvirt at ${p.hypervisor} cannot be asked (${why}): considered stopped`);
    ctx.state.remove();
    return;
  }
  if (!procTells(p))
    throw new OcfError(
      Ocf.ERR_GENERIC,
      `cannot stop ${vm.name}: ${why}; ${p.hypervisor} is not this node's own QEMU (qemu:///system or qemu:///session), so ` +
        `its processes cannot tell whether the domain still runs: make libvirt at ${p.hypervisor} answer, then stop again`,
    );
  const processes = qemuOf(vm, ctx);
  if (processes.length === 0) {
    ctx.log.info(`libvirt at ${p.hypervisor} cannot stop ${vm.name} (${why}), but no QEMU process of it runs here: stopped`);
    ctx.state.remove();
    return;
  }
  const pids = processes.map((q) => q.pid).join(', ');
  ctx.log.warn(`libvirt at ${p.hypervisor} cannot stop ${vm.name} (${why}): killing its QEMU (pid ${pids})`);
  const { alive, denied } = await killQemuProcesses(processes, termGraceMs, ctx.deadline.leaving(300));
  if (denied.length > 0)
    throw new OcfError(
      Ocf.ERR_GENERIC,
      `cannot stop ${vm.name}: not permitted to signal its QEMU (pid ${denied.join(', ')}: EPERM; the agent needs cap_kill) (${why})`,
    );
  if (alive.length > 0)
    throw new OcfError(
      Ocf.ERR_GENERIC,
      `cannot stop ${vm.name}: its QEMU (pid ${alive.map((q) => q.pid).join(', ')}) survived SIGKILL (${why})`,
    );
  ctx.state.remove();
  ctx.log.info(`${vm.name} is stopped (QEMU killed)`);
}
