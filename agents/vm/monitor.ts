// SPDX-License-Identifier: Apache-2.0
import { existsSync } from 'node:fs';
import { which } from '../../lib/exec/index.js';
import { Ocf, OcfError, type MonitorResult, type ResourceContext } from '../../lib/ocf/index.js';
import { sleep, stepDeadline } from '../../lib/time/index.js';
import { fetchXmlFromRbd } from './config-source.js';
import { isLocalQemuUri } from './hypervisor-uri.js';
import { qemuOf, rbdFor, savedState, virshFor } from './resource.js';
import {
  vmIdentityOf,
  vmIdentityOrGuess,
  type GuessedIdentity,
  type VmContext,
  type VmIdentity,
  type VmSource,
  type VmState,
} from './identity.js';
import { monitorScriptsOf, runMonitorScripts } from './monitor-scripts.js';
import { findAllQemuProcesses, type QemuProcess } from './qemu-process.js';
import type { VmParams } from './spec.js';
import { describeStatus, type DomainStatus } from './virsh.js';
import { messageOf } from '../../lib/unknown/index.js';

/**
 * One libvirt query, checked against /proc whenever libvirt cannot vouch for the answer: a domain
 * libvirt does not know may still have its QEMU here, and a libvirtd restart must not fail a
 * healthy guest.
 */
export async function monitor(p: VmParams, ctx: VmContext): Promise<MonitorResult> {
  const source = ctx.resolved;
  if (ctx.isProbe && source.systemImage && !existsSync(source.config)) {
    if (await noDomainHere(p, ctx)) {
      ctx.log.info(`probe: libvirt knows no domain and no QEMU runs on this node: ${source.systemImage}'s VM is not running here`);
      return Ocf.NOT_RUNNING;
    }
    await refreshConfigForProbe(p, source, ctx);
  }
  // A probe looks before it answers, even where nothing names the domain (a guest migrated in).
  const vm: GuessedIdentity = ctx.isProbe ? vmIdentityOrGuess(source, ctx.state, ctx.instance) : vmIdentityOf(source, ctx.state);
  const virsh = virshFor(p);
  let status = await virsh.domstate(vm.name, ctx.deadline.portion(0.5));
  if (status.kind === 'unreachable' && ctx.deadline.remainingMs() > 3000) {
    // A libvirtd restart takes about a second: ask once more before looking in /proc.
    await sleep(1000, ctx.deadline);
    status = await virsh.domstate(vm.name, stepDeadline(ctx.deadline));
  }
  switch (status.kind) {
    case 'active': {
      endOutage(ctx);
      const scripts = monitorScriptsOf(p.monitor_scripts);
      if (scripts.length > 0) await runMonitorScripts(scripts, vm.name, stepDeadline(ctx.deadline));
      return Ocf.SUCCESS;
    }
    case 'inactive':
      return notRunningUnlessInProc(vm, status, p, ctx, vm.unknownBecause === undefined);
    case 'abnormal':
      throw new OcfError(Ocf.ERR_GENERIC, `${vm.name} is ${describeStatus(status)}`);
    case 'unreachable':
      return duringOutage(vm, status.detail, p, ctx, vm.unknownBecause === undefined);
  }
}

/** "Failed to get domain" is libvirt's view, not proof that the guest is gone: /proc decides. */
async function notRunningUnlessInProc(
  vm: VmIdentity,
  status: DomainStatus,
  p: VmParams,
  ctx: ResourceContext,
  nameIsKnown: boolean,
): Promise<MonitorResult> {
  endOutage(ctx);
  const processes = isLocalQemuUri(p.hypervisor) ? qemuOf(vm, ctx) : [];
  if (processes.length > 0)
    throw new OcfError(
      Ocf.ERR_GENERIC,
      `libvirt at ${p.hypervisor} says ${vm.name} is ${describeStatus(status)}, but its QEMU runs here (pid ${pids(processes)}): ` +
        `a stop will kill it`,
    );
  // A probe changes nothing (maintenance mode, an unmanaged resource; and `virsh undefine` deletes a
  // config kept in /etc/libvirt/qemu): a persistent definition is only reported; start and stop remove it.
  if (ctx.isProbe && nameIsKnown && status.kind === 'inactive' && status.state === 'shut off')
    ctx.log.warn(
      status.reason === 'saved'
        ? `${vm.name} is defined here with a managed-save image: a manual virsh start here would resume stale RAM; ` +
            'a start of the resource on this node removes it'
        : `${vm.name} is defined here but not running: a manual virsh start here would bypass the image guard; ` +
            'a start or stop of the resource on this node removes that definition',
    );
  return Ocf.NOT_RUNNING;
}

/**
 * libvirt does not answer. The truth is in /proc: no QEMU of the domain means not running; a live
 * one is reported running, with a WARNING, for libvirt_outage_grace seconds from the first monitor
 * that saw the outage, so that a libvirtd restart does not get a healthy guest recovered.
 */
function duringOutage(vm: VmIdentity, detail: string, p: VmParams, ctx: ResourceContext, nameIsKnown: boolean): MonitorResult {
  if (!isLocalQemuUri(p.hypervisor)) return cannotTell(vm, detail, p, ctx, nameIsKnown);
  const processes = qemuOf(vm, ctx);
  if (processes.length === 0) {
    if (ctx.isProbe) {
      ctx.log.info(`libvirt did not answer (${detail}), and no QEMU process of ${vm.name} runs here: not running`);
      return Ocf.NOT_RUNNING;
    }
    throw new OcfError(
      Ocf.ERR_GENERIC,
      `cannot reach libvirt at ${p.hypervisor} to check ${vm.name} (${detail}); no QEMU process of it runs here`,
    );
  }
  const saved = savedState(ctx);
  const since = saved?.libvirtUnreachableSince ?? Date.now();
  // A guessed name is never saved: saved, it would read as the name start gave the domain.
  if (saved?.libvirtUnreachableSince === undefined && nameIsKnown)
    ctx.state.save({ ...(saved ?? { name: vm.name }), libvirtUnreachableSince: since } satisfies VmState);
  const outageS = Math.round((Date.now() - since) / 1000);
  if (ctx.isProbe || outageS < p.libvirt_outage_grace) {
    ctx.log.warn(
      `cannot reach libvirt at ${p.hypervisor} (${detail}) for ${outageS} s; ${vm.name}'s QEMU runs (pid ${pids(processes)}): ` +
        `reported running${ctx.isProbe ? '' : ` for up to ${p.libvirt_outage_grace} s (libvirt_outage_grace)`}`,
    );
    return Ocf.SUCCESS;
  }
  throw new OcfError(
    Ocf.ERR_GENERIC,
    `cannot reach libvirt at ${p.hypervisor} to check ${vm.name} for ${outageS} s, longer than libvirt_outage_grace ` +
      `(${p.libvirt_outage_grace} s); its QEMU still runs (pid ${pids(processes)})`,
  );
}

/**
 * libvirt does not answer and the hypervisor is not this node's QEMU (a remote host, LXC, Xen): its
 * guests are not QEMU processes here, so nothing can tell whether the domain runs. A probe whose name
 * is only a guess answers as VirtualDomain without its file (not running); anything else fails.
 */
function cannotTell(vm: VmIdentity, detail: string, p: VmParams, ctx: ResourceContext, nameIsKnown: boolean): MonitorResult {
  if (ctx.isProbe && !nameIsKnown) {
    ctx.log.info(`libvirt at ${p.hypervisor} did not answer (${detail}), and nothing on this node names the domain: not running`);
    return Ocf.NOT_RUNNING;
  }
  throw new OcfError(
    Ocf.ERR_GENERIC,
    `cannot reach libvirt at ${p.hypervisor} to check ${vm.name} (${detail}); ${p.hypervisor} is not this node's own QEMU, so its ` +
      `processes cannot tell whether the domain runs`,
  );
}

function endOutage(ctx: ResourceContext): void {
  const saved = savedState(ctx);
  if (saved?.libvirtUnreachableSince === undefined) return;
  ctx.log.info(
    `libvirt answers again, after an outage that began ${Math.round((Date.now() - saved.libvirtUnreachableSince) / 1000)} s ago`,
  );
  ctx.state.save({ name: saved.name, uuid: saved.uuid } satisfies VmState);
}

function pids(processes: readonly QemuProcess[]): string {
  return processes.map((q) => q.pid).join(', ');
}

/**
 * True only when libvirt answers that it knows no domain at all, running or defined, and no QEMU
 * runs here: then no VM runs here under any name, and there is no definition to remove, so the
 * probe needs no domain name, and no Ceph read to learn it (the cluster-start probe storm).
 */
async function noDomainHere(p: VmParams, ctx: ResourceContext): Promise<boolean> {
  if (findAllQemuProcesses().length > 0) return false;
  const names = await virshFor(p).domainNames(ctx.deadline.portion(0.2));
  return names !== undefined && names.length === 0;
}

/**
 * Where domains exist, the probe needs the VM's domain name, which its XML in RBD gives; the copy
 * stays in config, as SEAPATH's agent leaves it. Best effort: without it the name falls back.
 */
async function refreshConfigForProbe(p: VmParams, source: VmSource, ctx: ResourceContext): Promise<void> {
  if (which('rbd') === undefined) return;
  try {
    await fetchXmlFromRbd(source, rbdFor(p), stepDeadline(ctx.deadline.portion(0.3)));
    ctx.log.info(`fetched the domain XML from ${source.systemImage} into ${source.config}`);
  } catch (e) {
    ctx.log.info(`probe: could not fetch the domain XML from ${source.systemImage}: ${messageOf(e)}`);
  }
}
