// SPDX-License-Identifier: Apache-2.0
import { defineFenceAgent, FenceError, fenceMain, type FenceContext, type Power } from '../../lib/fence/index.js';
import { checkOptions, connect, type OutscaleConnection } from './connection.js';
import { instanceIdUrl, readOwnVmId } from './metadata-service.js';
import { outscaleOptions } from './options.js';
import { fencedStates, isVmStateName, vmStateToPower, vmStateToPowerAwaiting } from './states.js';
import { readAllVms, readVms, startVms, stopVms, type VmFilters } from './vms.js';

/** fence_outscale: power fencing of Outscale VMs through the Outscale API (OAPI). */
export const fenceOutscale = defineFenceAgent({
  name: 'fence_outscale',
  version: '0.1.0',
  shortdesc: 'Fence agent for Outscale VMs',
  longdesc: `fence_outscale is a power fencing agent for VMs of the Outscale cloud. It stops a VM with StopVms (ForceStop) and waits until ReadVms reports it stopped; it starts it with StartVms.

A plug is a VM ID, or the value of a tag of the VM (tag_key, Name by default), so Pacemaker's node names work without pcmk_host_map when each VM's Name tag is its node name. A plug that matches no VM, or several, fails and nothing is stopped.

Credentials come from the access_key and secret_key options (on stdin), from OSC_ACCESS_KEY, OSC_SECRET_KEY and OSC_REGION, from a profile of ~/.osc/config.json, or from secret_key_file or secret_key_script. The secret key is never accepted on the command line.

Before stopping a VM the agent reads its own VM ID from the metadata service and refuses to stop its own VM, or to fence anyone while its own VM is itself being stopped (skip_race_check disables this).

Cloud stops take time: give the stonith device generous timeouts, e.g. pcmk_off_timeout=120s pcmk_reboot_timeout=180s, and pcmk_delay_max in two-node clusters.`,
  vendorUrl: 'https://www.outscale.com',
  options: outscaleOptions,
  manSections: {
    Secrets: `The secret key is refused on the command line, where every user of the machine can read it in /proc. A stonith device that holds secret_key in its parameters keeps it in the CIB, and Pacemaker logs CIB changes with their values: prefer secret_key_file (a root-only file), secret_key_script, a profile of /root/.osc/config.json, or cibsecret. The agent never logs the secret, and never includes it in a message, even when the API echoes it.`,
    Timeouts: `Under pacemaker-fenced (PCMK_service=pacemaker-fenced), as with fencing.py, on and off poll until the VM reaches the state, and Pacemaker ends the agent with SIGKILL at pcmk_off_timeout or pcmk_reboot_timeout; set disable_timeout=false to keep power_timeout. Each API request is bounded by shell_timeout, throttled and failed requests are retried api_retries times with a short exponential backoff, and 401 or 403 is never retried (four bad signatures in a row lock the access key). The metadata service and secret_key_script are bounded by login_timeout.`,
    'Vm states': `running, pending, stopping, shutting-down and quarantine are reported as ON; only stopped and terminated count as fenced (OFF). A VM that is stopping may still write to shared storage, so off keeps polling until it is stopped.`,
    Examples: `fence_outscale -o status -n node2 -r eu-west-2 -a AK... --secret-key-file=/etc/fence_outscale/secret

pcs stonith create fence-osc fence_outscale region=eu-west-2 access_key=AK... secret_key_file=/etc/fence_outscale/secret pcmk_off_timeout=120s pcmk_reboot_timeout=180s`,
  },
  validate: (o, ctx) => checkOptions(o, ctx),
  connect,
  async getPower(c, plug, ctx) {
    const vm = await c.findVm(plug, ctx.deadline);
    if (!isVmStateName(vm.state)) throw new FenceError(`VM ${vm.id} is in state '${vm.state}', which this agent does not know: not treated as fenced`);
    const power = vmStateToPowerAwaiting(vm.state, ctx.awaiting);
    const note = `VM ${vm.id} (plug ${plug}) is ${vm.state}: ${vmStateToPower[vm.state].toUpperCase()} (fenced only when ${fencedStates.join(' or ')})`;
    if (ctx.action === 'status') ctx.log.info(note);
    else ctx.log.debug(note);
    return power;
  },
  async setPower(c, plug, power, ctx) {
    const vm = await c.findVm(plug, ctx.deadline);
    if (power === 'off') {
      if (vm.shutdownBehavior === 'restart' || vm.shutdownBehavior === 'terminate')
        ctx.log.warn(`VM ${vm.id} has VmInitiatedShutdownBehavior=${vm.shutdownBehavior}: a stop may ${vm.shutdownBehavior === 'restart' ? 'restart it, and off may never see it stopped' : 'delete it'}`);
      await stopVms(c.api, [vm.id], ctx.deadline);
    } else {
      await startVms(c.api, [vm.id], ctx.deadline);
    }
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
    // One signed call with one result: cheap in a large account, and it fails on bad credentials.
    await readVms(c.api, { filters: listFilters(c), resultsPerPage: 1 }, ctx.deadline);
  },
  beforeFencing: refuseSelfFencing,
});

export default fenceMain(fenceOutscale);

function listFilters(c: OutscaleConnection): VmFilters {
  return c.o.filter !== undefined ? { Tags: [c.o.filter] } : {};
}

/**
 * Race protection: never stop the VM this agent runs on, and do not shoot back while our own
 * VM is being stopped (in a split, both sides fence each other; the one being stopped yields).
 * An unknown own ID (no metadata service, e.g. outside Outscale) only logs a warning:
 * fencing must not depend on it.
 */
async function refuseSelfFencing(c: OutscaleConnection, plugs: readonly string[], ctx: FenceContext): Promise<void> {
  if (c.o.skip_race_check) return;
  const own = await readOwnVmId(instanceIdUrl(c.o.metadata_url), c.o.login_timeout * 1000, ctx.deadline);
  if ('unknown' in own) {
    ctx.log.warn(`${own.unknown}; fencing without the self-fencing check (set skip_race_check=true off Outscale)`);
    return;
  }
  for (const plug of plugs) {
    const vm = await c.findVm(plug, ctx.deadline);
    if (vm.id === own.vmId)
      throw new FenceError(`refusing to fence ${plug}: VM ${vm.id} is the VM this agent runs on (metadata service); set skip_race_check=true to allow it`);
  }
  let ownState: string | undefined;
  try {
    ownState = (await readVms(c.api, { filters: { VmIds: [own.vmId] } }, ctx.deadline)).vms[0]?.state;
  } catch (e) {
    ctx.log.warn(`could not read this node's own VM ${own.vmId} (${e instanceof Error ? e.message : String(e)}); fencing without the own-state check`);
  }
  if (ownState !== undefined && ownState !== 'running' && ownState !== 'pending')
    throw new FenceError(`refusing to fence ${plugs.join(', ')}: this node's own VM ${own.vmId} is ${ownState}, so it is being fenced itself; set skip_race_check=true to override`);
}
