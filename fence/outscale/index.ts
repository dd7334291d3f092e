// SPDX-License-Identifier: Apache-2.0
import { defineFenceAgent, FenceError, fenceMain, type FenceContext, type Power, type SetPowerAnswer } from '../../lib/fence/index.js';
import { sleep } from '../../lib/time/index.js';
import { connect, loginTimeoutMs, resolveSettings, type OutscaleConnection, type ResolvedSettings } from './connection.js';
import { OutscaleApiError } from './errors.js';
import { instanceIdUrl, readOwnVmId } from './metadata-service.js';
import { outscaleOptions, type OutscaleOptions } from './options.js';
import { fencedStates, isVmStateName, vmStateToPower, vmStateToPowerAwaiting } from './states.js';
import { readAllVms, readVms, startVms, stopVms, type Vm, type VmFilters, type VmStateChange } from './vms.js';
import { messageOf } from '../../lib/unknown/index.js';

/** fence_outscale: power fencing of Outscale VMs through the Outscale API (OAPI). */
export const fenceOutscale = defineFenceAgent({
  name: 'fence_outscale',
  version: '0.1.0',
  shortdesc: 'Fence agent for Outscale VMs',
  longdesc:
    `fence_outscale is a power fencing agent for VMs of the Outscale cloud. Off and reboot always send StopVms (ForceStop), ` +
    `even to a VM that reads as stopped, and succeed only once ReadVms reports it stopped (or terminated); on sends ` +
    `StartVms and waits until it runs.\n\n` +
    `A plug is a VM ID, or the value of a tag of the VM (tag_key, Name by default), so Pacemaker's node names work without ` +
    `pcmk_host_map when each VM's Name tag is its node name. A plug that matches no VM, or several, fails and nothing is ` +
    `stopped.\n\n` +
    `A VM whose VmInitiatedShutdownBehavior is terminate is deleted by a stop, and one set to restart boots again at once: ` +
    `off, reboot, monitor and validate-all refuse them and name the fix, UpdateVm with VmInitiatedShutdownBehavior=stop ` +
    `(allow_terminate=true accepts terminate).\n\n` +
    `Credentials come from the access_key and secret_key options (on stdin), from OSC_ACCESS_KEY, OSC_SECRET_KEY and ` +
    `OSC_REGION, from a profile of ~/.osc/config.json, or from secret_key_file or secret_key_script. The secret key is ` +
    `never accepted on the command line.\n\n` +
    `Race protection: the agent reads its own VM ID from the metadata service, and right before each StopVms reads its own ` +
    `VM again: while it is itself being stopped it fences nobody (skip_race_check disables this). It may fence its own VM, ` +
    `as Pacemaker asks only when no other node can (refuse_self_fencing forbids it). In a two-node cluster this check is ` +
    `best effort, as both nodes may pass it within one API round trip: set pcmk_delay_max on the stonith device, or the ` +
    `priority-fencing-delay cluster option, in two-node clusters.\n\n` +
    `Cloud stops take time: give the stonith device generous timeouts, e.g. pcmk_off_timeout=120s pcmk_reboot_timeout=120s, ` +
    `with power_timeout=100 (at least 15 s below them; the default, 40, fits Pacemaker's default 60 s).`,
  vendorUrl: 'https://www.outscale.com',
  options: outscaleOptions,
  manSections: {
    Secrets:
      `The secret key is refused on the command line, where every user of the machine can read it in /proc, and so is a proxy ` +
      `URL with a password (use proxy_password_file). A stonith device that holds secret_key in its parameters keeps it in ` +
      `the CIB, and Pacemaker logs CIB changes with their values: prefer secret_key_file (a root-only file), ` +
      `secret_key_script, a profile of /root/.osc/config.json, or cibsecret. The agent warns when secret_key_file, ` +
      `proxy_password_file or a configuration file holding a secret key is readable by group or others, and creates ` +
      `debug_file readable by root only. It never logs the secret key or the proxy password, and never includes them in a ` +
      `message, even when the API or a proxy echoes them.`,
    Timeouts:
      `power_timeout (default 40 s) bounds off and reboot from the start of the action, delay and connection included, ` +
      `under pacemaker-fenced too (unlike fencing.py, which there sets disable_timeout and polls until Pacemaker kills it): ` +
      `a VM that never stops fails with "Timed out waiting to power OFF"; power_timeout=0 or disable_timeout=true waits until ` +
      `Pacemaker's SIGKILL at pcmk_off_timeout. Reboot succeeds once off is confirmed; its power-on phase waits what is left ` +
      `of power_timeout, at least 5 s and at most 15 s, then logs that power-on is still pending: a reboot answers within ` +
      `power_timeout + 5 s. Keep power_timeout at least 15 s below pcmk_off_timeout and pcmk_reboot_timeout (Pacemaker's ` +
      `default for both is stonith-timeout, 60 s), and raise them together. on gives each of its 1 + retry_on attempts ` +
      `power_timeout. monitor, list, ` +
      `list-status, status and validate-all finish within 15 s, whatever shell_timeout and api_retries are, to fit ` +
      `Pacemaker's default 20 s operation timeout. Each API request is bounded by shell_timeout (0: no per-request limit). ` +
      `Requests that may heal (throttling, 5xx, timeouts, refused or reset connections, a name that does not resolve) are ` +
      `retried api_retries times with a short backoff; 401, 403, a proxy's 407 and untrusted certificates are not (four bad signatures ` +
      `in a row lock the access key). The metadata service and secret_key_script are bounded by login_timeout (0: by the ` +
      `action's budget only).`,
    'Vm states':
      `running, pending, stopping, shutting-down and quarantine are reported as ON; only stopped and terminated count as ` +
      `fenced (OFF). A VM that is stopping may still write to shared storage, so off keeps polling until it is stopped. ` +
      `StopVms on a VM that is already shutting down (InvalidState 6003) is followed by polling. on of a VM that is still ` +
      `stopping waits until it is stopped, then starts it.`,
    Network:
      `Certificates are verified against the CA bundle built into Node.js plus NODE_EXTRA_CA_CERTS and ca_file; the operating ` +
      `system's store is not read, and NODE_TLS_REJECT_UNAUTHORIZED=0 does not disable the check. Plain http:// endpoints are ` +
      `accepted on loopback only, or with insecure_http=true. The proxy comes from the proxy option, else from ` +
      `https_proxy/HTTPS_PROXY (http_proxy/HTTP_PROXY for an http:// endpoint) unless no_proxy/NO_PROXY names the endpoint's ` +
      `host. An endpoint api.<region>.outscale.com sets the signing region when region is not given.`,
    Examples:
      `fence_outscale -o status -n node2 -r eu-west-2 -a AK... --secret-key-file=/etc/fence_outscale/secret\n\n` +
      `pcs stonith create fence-osc fence_outscale region=eu-west-2 access_key=AK... ` +
      `secret_key_file=/etc/fence_outscale/secret filter=Cluster=prod pcmk_delay_max=15s power_timeout=100 ` +
      `pcmk_off_timeout=120s pcmk_reboot_timeout=120s`,
  },
  validate: async (o, ctx) => {
    const settings = resolveSettings(o, ctx);
    if (ctx.action === 'validate-all') await checkTargetsBestEffort(o, settings, ctx);
    return settings;
  },
  connect,
  alwaysSendOff: true,
  async getPower(c, plug, ctx) {
    const vm = await c.findVm(plug, ctx.deadline);
    if (!isVmStateName(vm.state))
      throw new FenceError(`VM ${vm.id} is in state '${vm.state}', which this agent does not know: not treated as fenced`);
    const power = vmStateToPowerAwaiting(vm.state, ctx.awaiting);
    const note =
      `VM ${vm.id} (plug ${plug}) is ${vm.state}: ${vmStateToPower[vm.state].toUpperCase()} (fenced only when ` +
      `${fencedStates.join(' or ')})`;
    if (ctx.action === 'status') ctx.log.info(note);
    else ctx.log.debug(note);
    return power;
  },
  async setPower(c, plug, power, ctx) {
    if (power === 'off') return await stopVm(c, plug, ctx);
    await startVm(c, plug, ctx);
    return undefined;
  },
  async list(c, ctx) {
    const vms = await readAllVms(c.api, listFilters(c), ctx.deadline);
    return vms.map((vm) => {
      const alias = vm.tags.get(c.o.tag_key);
      const power: Power | undefined = isVmStateName(vm.state) ? vmStateToPower[vm.state] : undefined;
      return { plug: vm.id, ...(alias !== undefined ? { alias } : {}), ...(power !== undefined ? { power } : {}) };
    });
  },
  async monitor(c, ctx) {
    // The device can fence its targets: the plugs when given, else every VM of the filter.
    // Without either, one signed call with one result: cheap, and it fails on bad credentials.
    if (ctx.plugs.length === 0 && c.o.filter === undefined) {
      await readVms(c.api, { resultsPerPage: 1 }, ctx.deadline);
      return;
    }
    await checkTargets(c, ctx);
  },
  beforeFencing,
});

export default fenceMain(fenceOutscale);

function listFilters(c: OutscaleConnection): VmFilters {
  return c.o.filter !== undefined ? { Tags: [c.o.filter] } : {};
}

/**
 * Why a stop cannot fence this VM, or undefined. `terminate` makes a stop delete the VM (and
 * the volumes set to go with it): refused unless allow_terminate. `restart` makes it boot again
 * at once, so off could never see it stopped, and a reboot could not tell a restart from a VM
 * that never went down: always refused.
 */
export function shutdownProblem(vm: Vm, o: OutscaleOptions): string | undefined {
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
 * tag_key value (a fence of that node would fail as ambiguous).
 */
async function checkTargets(c: OutscaleConnection, ctx: FenceContext): Promise<void> {
  const plugs = ctx.plugs;
  const vms =
    plugs.length > 0
      ? await Promise.all(plugs.map((p) => c.findVm(p, ctx.deadline)))
      : await readAllVms(c.api, listFilters(c), ctx.deadline);
  if (plugs.length === 0) checkFilterVms(vms, c.o);
  const problems = vms
    .filter((vm) => vm.state !== 'terminated')
    .map((vm) => shutdownProblem(vm, c.o))
    .filter((p) => p !== undefined);
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
 * is about the configuration.
 */
async function checkTargetsBestEffort(o: OutscaleOptions, settings: ResolvedSettings, ctx: FenceContext): Promise<void> {
  if (ctx.plugs.length === 0 && o.filter === undefined) return;
  let c: OutscaleConnection;
  try {
    c = await connect(o, ctx, settings);
    await checkTargets(c, ctx);
  } catch (e) {
    if (e instanceof FenceError) throw e;
    ctx.log.warn(`could not read the targets' VmInitiatedShutdownBehavior: ${messageOf(e)}`);
  }
}

/**
 * Race protection, before any plug is stopped: every target can be fenced by a stop, and this
 * node's own VM is known (metadata service). Fencing its own VM is allowed unless
 * refuse_self_fencing: Pacemaker asks for it only when no other node can. The own-state check
 * itself runs right before each StopVms (stopVm). The targets are as the kit's first power
 * read just found them.
 */
async function beforeFencing(c: OutscaleConnection, plugs: readonly string[], ctx: FenceContext): Promise<void> {
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

/**
 * StopVms with ForceStop, unless the VM is already deleted. Right before it, this node's own VM
 * is read again: in a two-node split both nodes may pass the first check within
 * one API round trip, so the later one to get here sees itself stopping and yields. That is best
 * effort; pcmk_delay_max or priority-fencing-delay is what separates the two.
 */
async function stopVm(c: OutscaleConnection, plug: string, ctx: FenceContext): Promise<SetPowerAnswer> {
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
async function readOnce(c: OutscaleConnection, plug: string, ctx: FenceContext): Promise<Vm> {
  return c.lastRead(plug) ?? (await c.findVm(plug, ctx.deadline));
}

const goingDown = new Set(['stopping', 'shutting-down', 'stopped', 'terminated']);

/** StartVms; a VM that is still stopping is waited for first (it cannot be started before it is stopped). */
async function startVm(c: OutscaleConnection, plug: string, ctx: FenceContext): Promise<void> {
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
