// SPDX-License-Identifier: Apache-2.0
import { ExecFailed, which } from '../../lib/exec/index.js';
import { Ocf, OcfError } from '../../lib/ocf/index.js';
import type { Deadline } from '../../lib/time/index.js';
import { icmpHosts, type Target } from './host-list.js';
import { pingWithFping, pingWithIputils, type IcmpRun } from './icmp.js';
import type { HostAnswer, Verdict } from './score.js';
import { connectTcp } from './tcp.js';
import type { ProbePlan } from './timing.js';

export interface ProbeSettings {
  readonly useFping: boolean;
  /** Extra fping/ping arguments (the `options` parameter, split on white space). */
  readonly options: readonly string[];
}

export interface ProbeResult {
  /** One per host_list entry, in list order. */
  readonly verdicts: Verdict[];
  /** What fping or ping printed, for debug=verbose. */
  readonly icmpOutput: string;
  /** Options left out of fping's command line, with why. */
  readonly droppedOptions: readonly string[];
}

/** The ICMP program this node would use, without failing: undefined when neither is installed. */
export function installedIcmpTool(useFping: boolean): 'fping' | 'ping' | undefined {
  if (useFping && which('fping') !== undefined) return 'fping';
  if (which('ping') !== undefined) return 'ping';
  if (which('fping') !== undefined) return 'fping';
  return undefined;
}

/** The ICMP program this node uses: fping when installed (and allowed), else iputils ping. */
export function icmpTool(useFping: boolean): 'fping' | 'ping' {
  const tool = installedIcmpTool(useFping);
  if (tool !== undefined) return tool;
  throw new OcfError(
    Ocf.ERR_INSTALLED,
    'neither fping nor ping is installed on this node: install fping (or iputils-ping), or probe only tcp: entries',
  );
}

/** Probes every entry at once (one ICMP process, TCP connects in this process) under one deadline. */
export async function probeTargets(
  targets: readonly Target[],
  plan: ProbePlan,
  settings: ProbeSettings,
  deadline: Deadline,
): Promise<ProbeResult> {
  const hosts = icmpHosts(targets);
  const icmp: Promise<IcmpRun> =
    hosts.length === 0
      ? Promise.resolve({ answers: new Map(), output: '' })
      : icmpTool(settings.useFping) === 'fping'
        ? pingWithFping(hosts, plan, settings.options, deadline)
        : pingWithIputils(hosts, plan, settings.options, deadline);
  const icmpOrWhy = icmp.catch((e: unknown) => {
    // Debian's fping and ping carry cap_net_raw=ep: under a bounding set without it (SEAPATH's
    // hardened pacemaker.service) the kernel refuses to run them at all. Not a verdict on the hosts.
    if (e instanceof ExecFailed && e.notPermitted)
      throw new OcfError(
        Ocf.ERR_GENERIC,
        `${e.message}: ICMP probes need cap_net_raw, which this service's CapabilityBoundingSet drops (SEAPATH's hardening); probe ` +
          `tcp:HOST:PORT entries instead, or allow cap_net_raw`,
      );
    throw e;
  });
  const tcp = Promise.all(targets.map((t) => (t.kind === 'tcp' ? connectTcp(t.host, t.port, plan.waitMs, deadline) : undefined)));
  const [icmpRun, tcpAnswers] = await Promise.all([icmpOrWhy, tcp]);
  const verdicts = targets.map((t, i): Verdict => {
    const answer: HostAnswer | undefined =
      t.kind === 'invalid' ? { reachable: false, detail: t.reason } : t.kind === 'tcp' ? tcpAnswers[i] : icmpRun.answers.get(t.host);
    return { entry: t.entry, ...(answer ?? { reachable: false, detail: 'not probed' }) };
  });
  return { verdicts, icmpOutput: icmpRun.output, droppedOptions: icmpRun.dropped ?? [] };
}
