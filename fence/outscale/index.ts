// SPDX-License-Identifier: Apache-2.0
import { defineFenceAgent, FenceError, fenceMain, type Power } from '../../lib/fence/index.js';
import { connect, resolveSettings } from './connection.js';
import { outscaleOptions } from './options.js';
import { fencedStates, isVmStateName, vmStateToPower, vmStateToPowerAwaiting } from './states.js';
import { readAllVms, readVms, tagFilters } from './vms.js';
import { beforeFencing } from './own-state-check.js';
import { startVm, stopVm } from './power.js';
import { checkTargets, checkTargetsBestEffort } from './target-checks.js';

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
      `power_timeout (default 40 s) bounds off and reboot from the start of the action, delay and connection included ` +
      `(power_wait, default 0, is not: as in fencing.py, power_timeout counts after it), ` +
      `under pacemaker-fenced too (unlike fencing.py, which there sets disable_timeout and polls until Pacemaker kills it): ` +
      `a VM that never stops fails with "Timed out waiting to power OFF"; power_timeout=0 or disable_timeout=true waits until ` +
      `Pacemaker's SIGKILL at pcmk_off_timeout. Reboot succeeds once off is confirmed; its power-on phase waits power_wait, then ` +
      `what is left of power_timeout, at least 5 s and at most 15 s, then logs that power-on is still pending: a reboot ` +
      `answers within power_timeout + 2 x power_wait + 5 s. Keep that at least 15 s below pcmk_off_timeout and ` +
      `pcmk_reboot_timeout (Pacemaker's ` +
      `default for both is stonith-timeout, 60 s), and raise them together. on gives each of its 1 + retry_on attempts ` +
      `power_wait + power_timeout; reboot with retry_on=0 leaves the VM stopped. monitor, list, ` +
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
    const vms = await readAllVms(c.api, tagFilters(c.o.filter), ctx.deadline);
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
