// SPDX-License-Identifier: Apache-2.0
import { existsSync } from 'node:fs';
import { ExecFailed, query, which } from '../../lib/exec/index.js';
import { Ocf, OcfError, type ResourceContext } from '../../lib/ocf/index.js';
import { expiry, sleep, stepDeadline, type Deadline } from '../../lib/time/index.js';
import { domainOf, fetchXmlFromRbd, readConfigFile } from './config-source.js';
import { parseDomainXml } from './domain-xml.js';
import { rbdFor, libvirtUnreachable, virshFor } from './resource.js';
import { vmIdentityOf, vmIdentityOrGuess, type GuessedIdentity, type VmContext, type VmIdentity, type VmState } from './identity.js';
import { migrateUriFor, migrationRouteProblem, remoteUriFor, splitMigrateOptions } from './migration.js';
import { monitorScriptsOf, waitForMonitorScripts } from './monitor-scripts.js';
import { saveConfig } from './save-config.js';
import { startDomainResources } from './start-resources.js';
import type { VmParams } from './spec.js';
import { sshFailureCause } from './ssh-failure.js';
import { autosetUtilization, wantsUtilization } from './utilization.js';
import { describeStatus, isIncomingMigration, Virsh } from './virsh.js';
import { abortUntilEnded, whereAfterTimeout, type MigrationOutcome } from './migration-abort.js';
import { messageOf } from '../../lib/unknown/index.js';

// A migration still running this long before migrate_to's deadline is aborted, while virsh still
// waits on it: killing virsh first can break the migration off, and then nothing is left to abort.
const abortReserveMs = 4000;
// virsh's own deadline: after an abort, time for it to end, then for one look at the domain.
const virshReserveMs = 1500;
// One virsh call beside the running migration.
const callMs = 3000;

/** On the source: live-migrates the running domain, with its RBD disks shared, to the target node. */
export async function migrateTo(p: VmParams, ctx: VmContext): Promise<void> {
  const vm = vmIdentityOf(ctx.resolved, ctx.state);
  const target = ctx.migrateTarget;
  if (target === undefined || target === '')
    throw new OcfError(Ocf.ERR_GENERIC, 'migrate_to needs the target node in OCF_RESKEY_CRM_meta_migrate_target (Pacemaker sets it)');
  // Settings changed since start (they are reloadable): a failed migration (1) lets Pacemaker stop and
  // restart the VM, where 6 would stop it on every node.
  const problem = migrationRouteProblem(p);
  if (problem !== undefined) throw new OcfError(Ocf.ERR_GENERIC, `cannot migrate ${vm.name} to ${target}: ${problem}`);
  const virsh = virshFor(p);
  const status = await virsh.domstate(vm.name, stepDeadline(ctx.deadline, 10_000));
  if (status.kind === 'unreachable') throw libvirtUnreachable(p, status.detail);
  if (status.kind !== 'active')
    throw new OcfError(Ocf.ERR_GENERIC, `cannot migrate ${vm.name} to ${target}: it is not running here (${describeStatus(status)})`);

  const remoteUri = remoteUriFor(target, p);
  const migrateUri = migrateUriFor(target, p);
  if (p.save_config_on_stop || p.sync_config_on_stop)
    await saveConfig(virshFor(p), vm, vm.systemImage ? rbdFor(p) : undefined, p.sync_config_on_stop, ctx, ctx.deadline.within(5000));
  if (p.start_resources)
    await startDomainResources(domainOf(readConfigFile(vm.config), vm), new Virsh(remoteUri, query), stepDeadline(ctx.deadline, 20_000));
  const how = { remoteUri, migrateUri, bandwidthMiBs: p.migration_speed, extraOptions: splitMigrateOptions(p.migrate_options).extra };
  ctx.log.info(`live-migrating ${vm.name} to ${target}: ${virsh.migrateArgv(vm.name, how).join(' ')}`);
  const abortAt = ctx.deadline.leaving(abortReserveMs);
  const virshEnds = ctx.deadline.leaving(virshReserveMs);
  const migration = virsh.migrate(vm.name, how, virshEnds);
  if (p.migration_downtime > 0) void setDowntimeOnceRunning(virsh, vm.name, p.migration_downtime, migration, abortAt, ctx);
  const outcome = migration.then(
    (): MigrationOutcome => ({ failed: false }),
    (error: unknown): MigrationOutcome => ({ failed: true, error }),
  );
  let ended = await Promise.race([outcome, expiry(abortAt)]);
  let abort: string | undefined;
  if (ended === undefined) {
    ctx.log.warn(`live migration of ${vm.name} to ${target} still runs close to the migrate_to timeout: aborting it`);
    abort = await abortUntilEnded(virsh, vm.name, outcome, virshEnds);
    ended = await outcome;
  }
  if (!ended.failed) {
    // an abort that came too late to stop it: the VM runs on the target
    if (abort !== undefined) ctx.log.info(`${vm.name}'s migration finished all the same: ${abort}`);
    ctx.state.remove();
    ctx.log.info(`${vm.name} migrated to ${target}`);
    return;
  }
  const e = ended.error;
  if (!(e instanceof ExecFailed)) throw e;
  if (abort === undefined && !e.timedOut)
    throw new OcfError(
      Ocf.ERR_GENERIC,
      `live migration of ${vm.name} to ${target} failed: ${sshFailureCause(remoteUri, e.stderr) ?? e.message}`,
      { cause: e },
    );
  const where = await whereAfterTimeout(virsh, vm.name, target, stepDeadline(ctx.deadline));
  throw new OcfError(
    Ocf.ERR_GENERIC,
    `live migration of ${vm.name} to ${target} did not finish within the migrate_to timeout; ` +
      `${abort ?? 'virsh was ended at its deadline'}, and ${where}`,
    { cause: e },
  );
}

/**
 * On the target: returns once the domain runs here. It is here (paused) from the moment the incoming
 * migration begins, so a domain that is absent means migrate_to never moved it (a half-done
 * migration): that fails at once rather than waiting for the timeout.
 */
export async function migrateFrom(p: VmParams, ctx: VmContext): Promise<void> {
  const source = ctx.resolved;
  const sourceNode = ctx.migrateSource ?? 'the source node';
  const virsh = virshFor(p);
  const known = vmIdentityOrGuess(source, ctx.state, ctx.instance);
  if (known.unknownBecause !== undefined) return refuseUnnamedArrival(virsh, known, sourceNode, ctx);
  // The local copy of the XML names the domain; the VM runs whether or not it can be made (rbd is optional here).
  const fetching =
    source.systemImage && !existsSync(source.config) && which('rbd') !== undefined
      ? fetchXmlFromRbd(source, rbdFor(p), stepDeadline(ctx.deadline, 10_000)).then(
          () => undefined,
          (e: unknown) => ctx.log.warn(`cannot refresh ${source.config}: ${messageOf(e)}`),
        )
      : undefined;
  let vm: VmIdentity;
  if (fetching === undefined) {
    vm = vmIdentityOf(source, ctx.state);
    await waitForArrival(p, virsh, vm.name, sourceNode, ctx);
  } else {
    // A node that never ran the VM fetches its XML first (the first migration there). Meanwhile the
    // domain is awaited under the name it has when the fetch fails (vm_manager's: the config's),
    // and that answer counts only once the fetched XML names the same domain.
    const guess = vmIdentityOf(source, ctx.state).name;
    const early = new AbortController();
    const arrival = waitForArrival(p, virsh, guess, sourceNode, ctx, early.signal);
    arrival.catch(() => undefined); // awaited below, or abandoned when the guess was wrong
    await fetching;
    vm = vmIdentityOf(source, ctx.state);
    if (vm.name === guess) await arrival;
    else {
      early.abort();
      await waitForArrival(p, virsh, vm.name, sourceNode, ctx);
    }
  }
  // The UUID for finding QEMU without libvirt comes from the config file when stop needs it.
  ctx.state.save({ name: vm.name } satisfies VmState);
  ctx.log.info(`${vm.name} runs here after its migration from ${sourceNode}`);
  const scripts = monitorScriptsOf(p.monitor_scripts);
  if (scripts.length > 0) await waitForMonitorScripts(scripts, vm.name, stepDeadline(ctx.deadline));
  // The guest runs here: what follows cannot turn the migration into a failure, even at the timeout.
  if (p.save_config_on_stop || p.sync_config_on_stop) {
    const rbd = vm.systemImage && which('rbd') !== undefined ? rbdFor(p) : undefined;
    await ctx.bestEffort(
      `saving the definition of ${vm.name}`,
      (deadline) => saveConfig(virsh, vm, rbd, p.sync_config_on_stop, ctx, deadline),
      {
        withinMs: 5000,
      },
    );
  }
  if (wantsUtilization(p))
    await ctx.bestEffort(`setting the utilization of ${vm.name}`, (deadline) =>
      autosetUtilization(p, parseDomainXml(readConfigFile(vm.config)), ctx, deadline),
    );
}

/**
 * This node cannot name the domain (no config file, nothing saved), yet migrate_to has already moved
 * the guest: the exit reason says whether it runs here under the resource's name, which the stop
 * that follows the failure looks for.
 */
async function refuseUnnamedArrival(virsh: Virsh, vm: GuessedIdentity, source: string, ctx: VmContext): Promise<never> {
  const status = await virsh.domstate(vm.name, stepDeadline(ctx.deadline, 10_000));
  const here =
    status.kind === 'active'
      ? `${vm.name} arrived from ${source} and runs here all the same; the stop that follows this failure stops it`
      : status.kind === 'unreachable'
        ? `whether ${vm.name} arrived from ${source} is unknown (libvirt: ${status.detail})`
        : `no domain named ${vm.name}, the resource's name, runs here (${describeStatus(status)}); the guest may have ` +
          `arrived under the name the source's config file gives it`;
  throw new OcfError(Ocf.ERR_INSTALLED, `${vm.unknownBecause ?? ''}: ${here}; put the config file on every node that may run it`);
}

/**
 * Polls libvirt until the domain has arrived and runs here. Not here, or not in a running state, is
 * a failed migration. libvirt not answering is asked again until the timeout, as VirtualDomain's
 * migrate_from does: a libvirtd restart on the target must not fail a migration that worked.
 * Returns without a verdict once `abandoned` is aborted.
 */
async function waitForArrival(
  p: VmParams,
  virsh: Virsh,
  name: string,
  source: string,
  ctx: VmContext,
  abandoned?: AbortSignal,
): Promise<void> {
  let warned = false;
  for (;;) {
    const status = await virsh.domstate(name, stepDeadline(ctx.deadline, 10_000));
    if (abandoned?.aborted === true) return;
    if (status.kind === 'inactive')
      throw new OcfError(
        Ocf.ERR_GENERIC,
        `${name} did not arrive from ${source}: it is ${describeStatus(status)} here, so migrate_to did not move it`,
      );
    if (status.kind === 'abnormal') throw new OcfError(Ocf.ERR_GENERIC, `${name} arrived from ${source} but is ${describeStatus(status)}`);
    if (status.kind === 'active' && !isIncomingMigration(status)) return;
    if (status.kind === 'unreachable' && !warned) {
      ctx.log.warn(`cannot reach libvirt at ${p.hypervisor} (${status.detail}): asking again until the timeout`);
      warned = true;
    }
    // a step's deadline leaves 1 s before the action's: below 1.5 s, no further question can be answered
    if (ctx.deadline.remainingMs() < 1500) {
      const last = status.kind === 'unreachable' ? `libvirt at ${p.hypervisor} does not answer (${status.detail})` : describeStatus(status);
      throw new OcfError(Ocf.ERR_GENERIC, `timed out waiting for ${name} to arrive from ${source}: ${last}`);
    }
    await sleep(status.kind === 'unreachable' ? 1000 : 250, ctx.deadline);
  }
}

/**
 * Sets the maximum downtime once the migration job runs, polling for the job instead of
 * VirtualDomain's single `sleep 2`, which misses migrations that take less than 2 s.
 */
async function setDowntimeOnceRunning(
  virsh: Virsh,
  name: string,
  ms: number,
  migration: Promise<void>,
  deadline: Deadline,
  ctx: ResourceContext,
): Promise<void> {
  let settled = false;
  migration.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled && deadline.remainingMs() > 100) {
    const running = await virsh.hasActiveJob(name, deadline.within(callMs)).catch(() => false);
    if (settled) break;
    if (running) {
      try {
        await virsh.setMaxDowntime(name, ms, deadline.within(callMs));
        ctx.log.info(`maximum downtime of ${name}'s migration set to ${ms} ms`);
      } catch (e) {
        ctx.log.warn(`cannot set the maximum downtime of ${name}'s migration: ${messageOf(e)}`);
      }
      return;
    }
    await sleep(50, deadline);
  }
  ctx.log.info(`${name}'s migration ended before its maximum downtime could be set`);
}
