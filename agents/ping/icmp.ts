// SPDX-License-Identifier: Apache-2.0
import { ExecFailed, lastLines, query, type Argv } from '../../lib/exec/index.js';
import { Ocf, OcfError } from '../../lib/ocf/index.js';
import type { Deadline } from '../../lib/time/index.js';
import { sortFpingOptions } from './fping-options.js';
import { checkIputilsOptions } from './iputils-options.js';
import { nameBudgetMs, resolveHosts, type Resolution } from './resolve.js';
import type { HostAnswer } from './score.js';
import type { ProbePlan } from './timing.js';

/** Raw output of a probe run, logged when debug=verbose. */
export interface IcmpRun {
  readonly answers: Map<string, HostAnswer>;
  readonly output: string;
  /** Options of the `options` parameter left out, with why (fping display options). */
  readonly dropped?: readonly string[];
}

/**
 * One fping for every ICMP host (fping 5 mixes IPv4 and IPv6 in one run). `attempts` echo
 * requests at most, each waiting `perAttemptMs` (-B 1.0: no back-off), so a silent host
 * costs `waitMs` in total; fping stops asking a host at its first answer. As root, `-i 1`
 * sends to the next host after 1 ms instead of fping's default 10 ms, a delay every monitor
 * would pay per host; `options` come after, so a user's -i still wins.
 */
export function fpingArgv(hosts: readonly string[], plan: ProbePlan, options: readonly string[], isRoot: boolean): Argv {
  return [
    'fping',
    ...(isRoot ? ['-i', '1'] : []),
    '-r',
    String(plan.attempts - 1),
    '-t',
    String(plan.perAttemptMs),
    '-B',
    '1.0',
    ...options,
    ...hosts,
  ];
}

export async function pingWithFping(
  hosts: readonly string[],
  plan: ProbePlan,
  options: readonly string[],
  deadline: Deadline,
): Promise<IcmpRun> {
  const { kept, dropped } = sortFpingOptions(options);
  const family = kept.includes('-6') || kept.includes('--ipv6') ? 6 : kept.includes('-4') || kept.includes('--ipv4') ? 4 : 0;
  const resolutions = await resolveHosts(hosts, family, nameBudgetMs(plan.waitMs, deadline));
  const run = await probeAddresses(resolutions, (addresses) => runFping(addresses, plan, kept, deadline));
  return { ...run, dropped };
}

/** Probes the addresses names resolved to, and answers per name: an unresolved one with why. */
async function probeAddresses(resolutions: Map<string, Resolution>, probe: (addresses: string[]) => Promise<IcmpRun>): Promise<IcmpRun> {
  const addresses = [...new Set([...resolutions.values()].flatMap((r) => ('address' in r ? [r.address] : [])))];
  const run = addresses.length > 0 ? await probe(addresses) : { answers: new Map<string, HostAnswer>(), output: '' };
  const answers = new Map<string, HostAnswer>();
  for (const [host, r] of resolutions)
    answers.set(host, 'address' in r ? (run.answers.get(r.address) ?? { reachable: false, detail: 'not probed' }) : r.unresolved);
  return { answers, output: run.output };
}

async function runFping(
  addresses: readonly string[],
  plan: ProbePlan,
  options: readonly string[],
  deadline: Deadline,
): Promise<{ answers: Map<string, HostAnswer>; output: string }> {
  const argv = fpingArgv(addresses, plan, options, process.getuid?.() === 0);
  // 1: some host unreachable; 2: a name did not resolve. Both are answers, read from the output.
  // Anything else means fping could not measure: publishing 0 then would move resources away
  // for a fault of this node's tools, so the operation fails instead and the value stays.
  // Arguments fping refuses are this node's matter (2): ping may take them on another node.
  const r = await query(argv, { deadline, okExitCodes: [1, 2] }).catch((e: unknown) => {
    if (!(e instanceof ExecFailed) || e.notFound || e.notPermitted) throw e;
    if (bindFailure(e.stderr) !== undefined) return { exitCode: e.exitCode, stdout: e.stdout, stderr: e.stderr };
    if (e.exitCode === 3) throw new OcfError(Ocf.ERR_ARGS, `fping rejected its arguments (check the options parameter): ${e.message}`);
    if (e.timedOut)
      throw new OcfError(
        Ocf.ERR_GENERIC,
        `fping was still running at the end of the operation's budget (hosts get ${plan.waitMs} ms) and was killed`,
      );
    throw new OcfError(Ocf.ERR_GENERIC, `fping could not probe the hosts: ${e.message}`);
  });
  const unbound = r.exitCode !== 0 ? bindFailure(r.stderr) : undefined;
  if (unbound !== undefined) return { answers: allUnreachable(addresses, `fping ${unbound}`), output: r.stderr };
  const { answers, measured } = parseFpingOutput(r.stdout, r.stderr, addresses, plan);
  // fping 5.1 exits 1 for an unknown option too, with no word about any host.
  if (!measured && r.exitCode !== 0) {
    const why = lastLines(r.stderr, 2) || `exit ${r.exitCode}`;
    if (/invalid option|usage|requires an argument|illegal|must be/i.test(r.stderr))
      throw new OcfError(Ocf.ERR_ARGS, `fping rejected its arguments (check the options parameter): ${why}`);
    throw new OcfError(Ocf.ERR_GENERIC, `fping reported on no host: ${why}`);
  }
  return { answers, output: `${r.stdout}${r.stderr}` };
}

/**
 * The interface or source address the options bind to (-I, -S; ping's -I) is not on this node now:
 * a bond, VLAN or Open vSwitch port being recreated. No host is reachable through it, which is what
 * the score then says, as the stock agent's does; the options themselves are not wrong, so this is
 * neither a refusal (2) nor a failure to measure (1), and the score comes back with the interface.
 * A bind refused for want of a privilege is not this: that is this node's tools, and fails.
 */
export function bindFailure(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /(SO_BIND?TODEVICE|bind).*: (No such device|Cannot assign requested address)$/.test(l));
}

function allUnreachable(hosts: readonly string[], detail: string): Map<string, HostAnswer> {
  return new Map(hosts.map((h) => [h, { reachable: false, detail }]));
}

/**
 * fping's verdicts per host, and whether it said anything about any host at all: `HOST is alive` /
 * `HOST is unreachable` on stdout, errors on stderr (`HOST: error while sending ping: Network is unreachable`, `HOST: Name or service not
 * known`, `ICMP Host Unreachable from … for ICMP Echo sent to HOST`).
 */
export function parseFpingOutput(
  stdout: string,
  stderr: string,
  hosts: readonly string[],
  plan: ProbePlan,
): { answers: Map<string, HostAnswer>; measured: boolean } {
  const silent = `no answer to ${plan.attempts} echo request${plan.attempts > 1 ? 's' : ''} within ${plan.waitMs} ms`;
  const errors = new Map<string, string>();
  for (const line of stderr.split('\n').map((l) => l.trim())) {
    const icmp = /^(ICMP .+) for ICMP Echo sent to (\S+)/.exec(line);
    const own = /^(\S+?): (.+)$/.exec(line);
    const [host, message] = icmp ? [icmp[2], icmp[1]] : own ? [own[1], own[2]] : [undefined, undefined];
    if (host !== undefined && message !== undefined && !errors.has(host)) errors.set(host, message);
  }
  const answers = new Map<string, HostAnswer>();
  for (const line of stdout.split('\n')) {
    const m = /^(\S+) is (alive|unreachable)/.exec(line.trim());
    if (!m?.[1]) continue;
    answers.set(
      m[1],
      m[2] === 'alive' ? { reachable: true, detail: 'answered' } : { reachable: false, detail: errors.get(m[1]) ?? silent },
    );
  }
  const measured = hosts.some((h) => answers.has(h) || errors.has(h));
  for (const h of hosts)
    if (!answers.has(h)) answers.set(h, { reachable: false, detail: errors.get(h) ?? 'fping reported nothing for it' });
  return { answers, measured };
}

/**
 * iputils ping, where fping is absent: one process per host, all at once. `-c 1 -w SECONDS`
 * sends a request every `-i` until one is answered or the deadline (whole seconds) passes.
 */
export function iputilsArgv(host: string, plan: ProbePlan, options: readonly string[], isRoot: boolean): Argv {
  const intervalS = Math.max(isRoot ? 0.002 : 0.2, plan.perAttemptMs / 1000);
  return [
    'ping',
    '-n',
    '-q',
    '-c',
    '1',
    '-w',
    String(Math.max(1, Math.ceil(plan.waitMs / 1000))),
    '-i',
    intervalS.toFixed(3),
    ...options,
    host,
  ];
}

export async function pingWithIputils(
  hosts: readonly string[],
  plan: ProbePlan,
  options: readonly string[],
  deadline: Deadline,
): Promise<IcmpRun> {
  checkIputilsOptions(options);
  const family = options.includes('-6') ? 6 : options.includes('-4') ? 4 : 0;
  // Names first, as with fping: ping's own getaddrinfo would be killed with it at waitMs.
  const resolutions = await resolveHosts(hosts, family, nameBudgetMs(plan.waitMs, deadline));
  return probeAddresses(resolutions, (addresses) => pingEach(addresses, plan, options, deadline));
}

async function pingEach(hosts: readonly string[], plan: ProbePlan, options: readonly string[], deadline: Deadline): Promise<IcmpRun> {
  const isRoot = process.getuid?.() === 0;
  // -w counts whole seconds: a sub-second timeout is enforced by killing ping at waitMs.
  const perHost = deadline.within(plan.waitMs + 200);
  const runs = await Promise.all(
    hosts.map(async (host) => {
      try {
        const r = await query(iputilsArgv(host, plan, options, isRoot), { deadline: perHost, okExitCodes: [1, 2] });
        const unbound = r.exitCode !== 0 ? bindFailure(r.stderr) : undefined;
        if (unbound !== undefined) return [host, { reachable: false, detail: unbound }, r.stderr] as const;
        const refusal = iputilsUsageError(r.exitCode, r.stdout, r.stderr, host);
        if (refusal !== undefined)
          throw new OcfError(Ocf.ERR_ARGS, `ping rejected its arguments (check the options parameter): ${refusal}`);
        const answer: HostAnswer =
          r.exitCode === 0
            ? { reachable: true, detail: 'answered' }
            : { reachable: false, detail: lastLines(r.stderr, 1) || `no answer within ${plan.waitMs} ms` };
        return [host, answer, `${r.stdout}${r.stderr}`] as const;
      } catch (e) {
        if (e instanceof ExecFailed && e.timedOut)
          return [host, { reachable: false, detail: `no answer within ${plan.waitMs} ms` }, e.stdout] as const;
        throw e;
      }
    }),
  );
  return { answers: new Map(runs.map(([h, a]) => [h, a])), output: runs.map(([, , o]) => o).join('') };
}

// iputils' complaints about its command line (invalid option, bad option value, usage): exit 2, or 1
// for some values, before any echo request is sent. An unknown host or a missing route is an answer.
const iputilsUsage =
  /invalid (?:option|argument|-\w+ argument|\w+ type)|usage|requires an argument|garbage|out of range|must be|cannot set|SO_BINDTODEVICE/i;

/**
 * Why ping refused to run as asked, or undefined when it probed (its statistics line is printed
 * even under -q) or failed for a reason that is about the host (`ping: HOST: Name or service not known`).
 */
export function iputilsUsageError(exitCode: number | undefined, stdout: string, stderr: string, host?: string): string | undefined {
  if (exitCode === 0 || /packets transmitted/.test(stdout)) return undefined;
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => iputilsUsage.test(l) && (host === undefined || !l.startsWith(`ping: ${host}: `)));
}
