// SPDX-License-Identifier: Apache-2.0
import { existsSync } from 'node:fs';
import { readClusterView, type ClusterView } from '../../lib/cluster/index.js';
import { Ocf, OcfError, type ResourceContext } from '../../lib/ocf/index.js';
import { stepDeadline, waitUntil, type Deadline } from '../../lib/time/index.js';
import { domainOf, fetchXmlFromRbd, readConfigFile, writeConfigFile } from './config-source.js';
import { imagesToGuard } from './guarded-images.js';
import { domainNameIn, type VmContext, type VmIdentity, type VmState } from './identity.js';
import { waitUntilImagesFree } from './image-guard.js';
import { migrationRouteProblem } from './migration.js';
import { monitorScriptsOf, waitForMonitorScripts } from './monitor-scripts.js';
import type { HeaderObject, Rbd } from './rbd.js';
import { libvirtUnreachable, radosLocksFor, rbdFor, savedState, virshFor } from './resource.js';
import type { VmParams } from './spec.js';
import { takeStartLocks, type HeldStartLocks } from './start-lock.js';
import { startDomainResources } from './start-resources.js';
import { refuseUnsupportedStockParams, warnNoEffectStockParams } from './stock-params.js';
import { autosetUtilization } from './utilization.js';
import { describeStatus, isNotDefined, type Virsh } from './virsh.js';
import { messageOf } from '../../lib/unknown/index.js';

// The longer handlers have their own files.
export { migrateFrom, migrateTo } from './migrate.js';
export { monitor } from './monitor.js';
export { stop } from './stop.js';

/**
 * Consistency of the parameters, per action (6 when they cannot work anywhere). stop, monitor and
 * probes need only the XML's whereabouts: a migration or start setting they do not use must never
 * make them answer without looking at the domain.
 */
export function validate(p: VmParams, ctx: VmContext): void {
  const action = ctx.action;
  if (action === 'start' || action === 'validate-all') refuseUnsupportedStockParams(p);
  if (action === 'validate-all') validateMigration(p);
  const migrationProblem = action === 'start' ? migrationRouteProblem(p) : undefined;
  if (migrationProblem !== undefined) ctx.log.warn(`${migrationProblem}: the VM starts, but every live migration of it will fail`);
  if (action === 'start' || action === 'validate-all') warnNoEffectStockParams(p, ctx.log);
  // At level 0 too, as VirtualDomain: a node whose config file names no domain cannot run the VM (5).
  // Level 10 parses the whole XML (validateHost).
  if (action === 'validate-all' && ctx.checkLevel < 10 && !p.seapath) requireDomainName(ctx.resolved.config);
}

function requireDomainName(config: string): void {
  if (domainNameIn(readConfigFile(config)) === undefined)
    throw new OcfError(Ocf.ERR_INSTALLED, `config file ${config} names no domain (no <name> in <domain>) on this node`);
}

/** The settings a live migration uses: refused by validate-all. */
export function validateMigration(p: VmParams): void {
  const problem = migrationRouteProblem(p);
  if (problem !== undefined) throw new OcfError(Ocf.ERR_CONFIGURED, problem);
}

/**
 * This node can run the VM (start, validate-all at level 10): a usable XML is here unless it comes
 * from RBD (the kit has checked the programs, tools.ts). An arriving migration needs nothing more: the guest is here.
 */
export function validateHost(p: VmParams, ctx: VmContext): Promise<void> {
  if (ctx.action === 'migrate_from') return Promise.resolve();
  const source = ctx.resolved;
  if (p.seapath) return Promise.resolve();
  const dom = domainOf(readConfigFile(source.config), source);
  // The warnings about disks the guard does not check; rbd itself is a tool need (tools.ts).
  if (p.check_image_in_use && ctx.action === 'validate-all') imagesToGuard(source, dom, ctx.log);
  return Promise.resolve();
}

/**
 * Starts the domain as a transient one (`virsh create`), as VirtualDomain does: libvirt forgets it
 * when it stops or leaves, so no node keeps a definition that a manual `virsh start` could boot
 * past the image guard, and no managed-save RAM image can be resumed over a disk that moved on.
 */
export async function start(p: VmParams, ctx: VmContext): Promise<void> {
  const source = ctx.resolved;
  const rbd = rbdFor(p);
  const text = source.systemImage ? await fetchXmlFromRbd(source, rbd, stepDeadline(ctx.deadline, 20_000)) : readConfigFile(source.config);
  const dom = domainOf(text, source);
  const vm: VmIdentity = { ...source, name: dom.name };
  const virsh = virshFor(p);
  const images = p.check_image_in_use ? imagesToGuard(vm, dom, ctx.log) : [];
  // The header objects the start locks go on, looked up while libvirt answers: one rbd run less to wait
  // for. Within the guard's wait (guardImages), which a lookup must not outlast.
  const headers = lookUpHeaders(rbd, images, ctx.deadline.within(Math.min(10_000, Math.floor(ctx.deadline.remainingMs() / 2))));
  const before = await virsh.domstate(vm.name, stepDeadline(ctx.deadline, 10_000));
  if (before.kind === 'unreachable') throw libvirtUnreachable(p, before.detail);
  if (before.kind === 'active') {
    ctx.log.info(`${vm.name} is already running`);
    if (savedState(ctx) === undefined) ctx.state.save({ name: vm.name, uuid: dom.uuid } satisfies VmState);
    return;
  }
  if (before.kind === 'abnormal') {
    ctx.log.warn(`${vm.name} is ${describeStatus(before)}: destroying what is left before starting it`);
    await virsh.destroy(vm.name, stepDeadline(ctx.deadline, 20_000));
  }
  if (!isNotDefined(before)) await undefineLeftover(virsh, vm, text, ctx);

  const startLocks = images.length > 0 ? await guardImages(p, vm, images, headers, rbd, ctx) : undefined;
  try {
    if (p.start_resources) await startDomainResources(dom, virsh, stepDeadline(ctx.deadline, 20_000));
    ctx.log.info(`starting ${vm.name}`);
    await virsh.create(vm.config, stepDeadline(ctx.deadline));
  } catch (e) {
    await startLocks?.release(stepDeadline(ctx.deadline, 5000), e);
    throw e;
  }
  // QEMU has the images open: its watch, not the lock, is what another start meets now. The locks go
  // back while the start waits for the domain to run (a release never fails the start), and before it ends.
  const released = startLocks
    ?.release(stepDeadline(ctx.deadline, 5000))
    .catch((e: unknown) => ctx.log.warn(`cannot give back the start locks of ${vm.name}: ${messageOf(e)}`));
  try {
    ctx.state.save({ name: vm.name, uuid: dom.uuid } satisfies VmState);
    await waitUntil(
      `${vm.name} to run`,
      async () => (await virsh.domstate(vm.name, stepDeadline(ctx.deadline, 5000))).kind === 'active',
      stepDeadline(ctx.deadline),
      250,
    );
    const scripts = monitorScriptsOf(p.monitor_scripts);
    if (scripts.length > 0) await waitForMonitorScripts(scripts, vm.name, stepDeadline(ctx.deadline));
    ctx.log.info(`${vm.name} is running`);
    // The guest runs: a slow CIB cannot turn the start into a failure, even at the timeout.
    await ctx.bestEffort(`setting the utilization of ${vm.name}`, (deadline) => autosetUtilization(p, dom, ctx, deadline));
  } finally {
    await released;
  }
}

/** A lookup per image, started at once; a failed one fails where its header is used (the start lock). */
function lookUpHeaders(rbd: Rbd, images: readonly string[], deadline: Deadline): ReadonlyMap<string, Promise<HeaderObject>> {
  const headers = new Map(images.map((image) => [image, rbd.headerObject(image, deadline)] as const));
  // A start that ends before it takes the locks (the VM already runs) never reads them.
  for (const header of headers.values()) header.catch(() => undefined);
  return headers;
}

/**
 * The image guard: under the images' start locks, waits until no other client holds them. Up to
 * 45 s (or half the budget) for another start to end or a fenced node's stale watch to expire;
 * the rest starts the VM. Returns the locks, held until QEMU has the images open.
 */
async function guardImages(
  p: VmParams,
  vm: VmIdentity,
  images: readonly string[],
  headers: ReadonlyMap<string, Promise<HeaderObject>>,
  rbd: Rbd,
  ctx: VmContext,
): Promise<HeldStartLocks> {
  const waitDeadline = ctx.deadline.within(Math.min(45_000, Math.floor(ctx.deadline.remainingMs() / 2)));
  let cluster: Promise<ClusterView> | undefined;
  const readCluster = (deadline: Deadline): Promise<ClusterView> => (cluster ??= readClusterView(deadline));
  const locks = await takeStartLocks(vm.name, images, {
    headerOf: (image, deadline) => headers.get(image) ?? rbd.headerObject(image, deadline),
    locks: radosLocksFor(p),
    node: ctx.nodeName,
    user: rbd.user,
    waitDeadline,
    actionDeadline: ctx.deadline,
    readCluster: () => readCluster(waitDeadline.within(10_000)).catch(() => undefined),
    log: ctx.log,
  });
  try {
    await waitUntilImagesFree(vm.name, images, rbd, waitDeadline, { readCluster, log: ctx.log });
  } catch (e) {
    await locks.release(stepDeadline(ctx.deadline, 5000));
    throw e;
  }
  return locks;
}

/**
 * A stopped persistent definition of the domain (made by hand, or by an older version of this
 * agent) goes before the transient start, with its managed-save image. `virsh undefine` deletes
 * an XML file kept in libvirt's own directory: config is written back if it went.
 */
async function undefineLeftover(virsh: Virsh, vm: VmIdentity, text: string, ctx: ResourceContext): Promise<void> {
  ctx.log.info(`${vm.name} is defined here but not running: removing that definition (and any saved RAM image) before starting it`);
  await virsh.undefine(vm.name, stepDeadline(ctx.deadline, 10_000));
  if (!existsSync(vm.config)) writeConfigFile(vm.config, text);
}
