// SPDX-License-Identifier: Apache-2.0
import { existsSync } from 'node:fs';
import { ExecFailed } from '../../lib/exec/exec-failed.js';
import { query } from '../../lib/exec/query.js';
import { run } from '../../lib/exec/run.js';
import { which } from '../../lib/exec/which.js';
import type { ResourceContext } from '../../lib/ocf/context.js';
import { Ocf, type MonitorResult } from '../../lib/ocf/exit-codes.js';
import { OcfError } from '../../lib/ocf/ocf-error.js';
import { sleep, waitUntil } from '../../lib/ocf/wait.js';
import { domainOfResource, fetchXmlFromRbd, readConfigFile, uuidFromConfig, xmlMetaKey } from './config-source.js';
import { vmIdentityOf, type VmIdentity } from './identity.js';
import { readClusterView } from '../../lib/cluster/nodes.js';
import { waitUntilImagesFree } from './image-guard.js';
import { migrationUserPattern, remoteUriFor } from './migration.js';
import { findQemuProcesses } from './qemu-process.js';
import { Rbd } from './rbd.js';
import { migrationTransports, type VmParams } from './spec.js';
import { stepDeadline } from './step.js';
import { requireTools, toolsForStart } from './tools.js';
import { autosetUtilization } from './utilization.js';
import { describeStatus, Virsh, type DomainStatus, type Exec } from './virsh.js';

/** What start (or an arriving migration) leaves for stop, which may have to find QEMU without libvirt. */
export interface VmState {
  readonly name: string;
  readonly uuid?: string | undefined;
}

export function virshFor(p: VmParams, exec: Exec = run): Virsh {
  return new Virsh(p.hypervisor, exec);
}

export function rbdFor(p: VmParams, exec: Exec = run): Rbd {
  return new Rbd({ id: p.ceph_client_id, conf: p.ceph_conf, keyring: p.ceph_keyring }, exec);
}

/** Consistency of the parameters alone; runs before every action (6 when they cannot work anywhere). */
export function validate(p: VmParams, ctx: ResourceContext): void {
  vmIdentityOf(p, ctx.instance);
  if (p.migration_transport !== undefined && !(migrationTransports as readonly string[]).includes(p.migration_transport))
    throw new OcfError(Ocf.ERR_CONFIGURED, `parameter migration_transport must be one of ${migrationTransports.join(', ')}, got '${p.migration_transport}'`);
  if (p.migration_user !== undefined && !migrationUserPattern.test(p.migration_user))
    throw new OcfError(Ocf.ERR_CONFIGURED, `parameter migration_user must match ${migrationUserPattern.source}, got '${p.migration_user}'`);
  if (p.remoteuri === undefined) {
    try {
      remoteUriFor('target', p);
    } catch (e) {
      throw new OcfError(Ocf.ERR_CONFIGURED, `parameter hypervisor: ${(e as Error).message}`);
    }
  }
}

/** This node can run the VM: the programs are here, and so is the XML unless it comes from RBD. */
export function validateHost(p: VmParams, ctx: ResourceContext): Promise<void> {
  requireTools(toolsForStart(p), ctx.agent);
  const vm = vmIdentityOf(p, ctx.instance);
  if (!p.seapath) readConfigFile(vm.config);
  return Promise.resolve();
}

/** Defines and starts the domain and returns once libvirt reports it running. */
export async function start(p: VmParams, ctx: ResourceContext): Promise<void> {
  const vm = vmIdentityOf(p, ctx.instance);
  const virsh = virshFor(p);
  const before = await virsh.domstate(vm.name, stepDeadline(ctx.deadline, 10_000));
  if (before.kind === 'unreachable') throw unreachable(p, before.detail);
  if (before.kind === 'active') {
    ctx.log.info(`${vm.name} is already running`);
    if (!ctx.state.exists()) ctx.state.save({ name: vm.name, uuid: await virsh.domuuid(vm.name, stepDeadline(ctx.deadline, 5000)).catch(() => undefined) } satisfies VmState);
    return;
  }
  if (before.kind === 'abnormal') {
    ctx.log.warn(`${vm.name} is ${describeStatus(before)}: destroying what is left before starting it`);
    await virsh.destroy(vm.name, stepDeadline(ctx.deadline, 20_000));
  }

  const rbd = rbdFor(p);
  const text = vm.systemImage ? await fetchXmlFromRbd(vm, rbd, stepDeadline(ctx.deadline, 20_000)) : readConfigFile(vm.config);
  const dom = domainOfResource(text, vm, vm.systemImage ? `the '${xmlMetaKey}' metadata of ${vm.systemImage}` : vm.config);

  if (p.check_image_in_use) {
    // Disks marked <shareable/> or <readonly/> may be open elsewhere by design.
    const images = [...new Set([...(vm.systemImage ? [vm.systemImage] : []), ...dom.exclusiveRbdImages])];
    // Up to 45 s (or half the budget) for a fenced node's stale watch to expire; the rest starts the VM.
    const waitDeadline = ctx.deadline.within(Math.min(45_000, Math.floor(ctx.deadline.remainingMs() / 2)));
    await waitUntilImagesFree(vm.name, images, rbd, waitDeadline, { readCluster: (d) => readClusterView(d), log: ctx.log });
  }

  await defineDomain(virsh, vm, ctx);
  ctx.log.info(`starting ${vm.name}`);
  await virsh.start(vm.name, stepDeadline(ctx.deadline));
  ctx.state.save({ name: vm.name, uuid: dom.uuid } satisfies VmState);
  await waitUntil(`${vm.name} to run`, async () => isRunning(await virsh.domstate(vm.name, stepDeadline(ctx.deadline, 5000))), stepDeadline(ctx.deadline), 250);
  ctx.log.info(`${vm.name} is running`);
  await autosetUtilization(p, dom, ctx);
}

/** One libvirt query. Probes fall back to /proc when libvirt cannot answer; a recurring monitor says 1. */
export async function monitor(p: VmParams, ctx: ResourceContext): Promise<MonitorResult> {
  const vm = vmIdentityOf(p, ctx.instance);
  if (ctx.isProbe && vm.systemImage && !existsSync(vm.config)) await refreshConfigForProbe(p, vm, ctx);
  requireTools(['virsh'], ctx.agent);
  const virsh = virshFor(p, query);
  let status = await virsh.domstate(vm.name, ctx.deadline.portion(0.5));
  if (status.kind === 'unreachable' && ctx.deadline.remainingMs() > 3000) {
    // A libvirtd restart takes about a second: ask once more before calling the VM failed.
    await sleep(1000, ctx.deadline);
    status = await virsh.domstate(vm.name, stepDeadline(ctx.deadline));
  }
  switch (status.kind) {
    case 'active':
      return Ocf.SUCCESS;
    case 'inactive':
      return Ocf.NOT_RUNNING;
    case 'abnormal':
      throw new OcfError(Ocf.ERR_GENERIC, `${vm.name} is ${describeStatus(status)}`);
    case 'unreachable': {
      const processes = findQemuProcesses({ name: vm.name, uuid: stateUuid(ctx) ?? uuidFromConfig(vm.config) });
      if (ctx.isProbe && processes.length === 0) {
        ctx.log.info(`libvirt did not answer (${status.detail}), and no QEMU process of ${vm.name} runs here: not running`);
        return Ocf.NOT_RUNNING;
      }
      const qemu = processes.length > 0 ? `its QEMU still runs (pid ${processes.map((q) => q.pid).join(', ')})` : 'no QEMU process of it runs here';
      throw new OcfError(Ocf.ERR_GENERIC, `cannot reach libvirt at ${p.hypervisor} to check ${vm.name} (${status.detail}); ${qemu}`);
    }
  }
}

/** SEAPATH's probe also restores the XML cache on a node that never ran the VM; best effort. */
async function refreshConfigForProbe(p: VmParams, vm: VmIdentity, ctx: ResourceContext): Promise<void> {
  if (which('rbd') === undefined) return;
  try {
    await fetchXmlFromRbd(vm, rbdFor(p, query), stepDeadline(ctx.deadline.portion(0.3)));
    ctx.log.info(`fetched the domain XML of ${vm.name} from ${vm.systemImage} into ${vm.config}`);
  } catch (e) {
    ctx.log.info(`probe: could not fetch the domain XML of ${vm.name} from ${vm.systemImage}: ${(e as Error).message}`);
  }
}

async function defineDomain(virsh: Virsh, vm: VmIdentity, ctx: ResourceContext): Promise<void> {
  try {
    await virsh.define(vm.config, stepDeadline(ctx.deadline, 15_000));
  } catch (e) {
    if (!(e instanceof ExecFailed) || !/already exists with uuid/.test(e.stderr)) throw e;
    // A stopped definition of the same name from another XML: this resource's XML wins.
    ctx.log.info(`${vm.name} is defined here with another UUID: replacing that definition`);
    await virsh.undefine(vm.name, stepDeadline(ctx.deadline, 10_000));
    await virsh.define(vm.config, stepDeadline(ctx.deadline, 15_000));
  }
}

export function isRunning(status: DomainStatus): boolean {
  return status.kind === 'active';
}

export function unreachable(p: VmParams, detail: string): OcfError {
  return new OcfError(Ocf.ERR_GENERIC, `cannot reach libvirt at ${p.hypervisor}: ${detail}`);
}

export function stateUuid(ctx: ResourceContext): string | undefined {
  return ctx.state.load<VmState>()?.uuid;
}
