// SPDX-License-Identifier: Apache-2.0
import { ExecFailed, lastLines, query, type Argv } from '../../lib/exec/index.js';
import { Ocf, OcfError } from '../../lib/ocf/index.js';
import type { Deadline } from '../../lib/time/index.js';
import { sortFpingOptions } from './fping-options.js';
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
  const argv = fpingArgv(hosts, plan, kept, process.getuid?.() === 0);
  // 1: some host unreachable; 2: a name did not resolve. Both are answers, read from the output.
  // Anything else means fping could not measure: publishing 0 then would move resources away
  // for a fault of this node's tools, so the operation fails instead and the value stays.
  const r = await query(argv, { deadline, okExitCodes: [1, 2] }).catch((e: unknown) => {
    if (!(e instanceof ExecFailed) || e.notFound || e.notPermitted) throw e;
    if (e.exitCode === 3)
      throw new OcfError(Ocf.ERR_CONFIGURED, `fping rejected its arguments (check the options parameter): ${e.message}`);
    if (e.timedOut)
      throw new OcfError(
        Ocf.ERR_GENERIC,
        `fping was still running at the end of the operation's budget (hosts get ${plan.waitMs} ms) and was killed`,
      );
    throw new OcfError(Ocf.ERR_GENERIC, `fping could not probe the hosts: ${e.message}`);
  });
  const { answers, measured } = parseFpingOutput(r.stdout, r.stderr, hosts, plan);
  // fping 5.1 exits 1 for an unknown option too, with no word about any host.
  if (!measured && r.exitCode !== 0) {
    const why = lastLines(r.stderr, 2) || `exit ${r.exitCode}`;
    if (/invalid option|usage|requires an argument|illegal|must be/i.test(r.stderr))
      throw new OcfError(Ocf.ERR_CONFIGURED, `fping rejected its arguments (check the options parameter): ${why}`);
    throw new OcfError(Ocf.ERR_GENERIC, `fping reported on no host: ${why}`);
  }
  return { answers, output: `${r.stdout}${r.stderr}`, dropped };
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
  const isRoot = process.getuid?.() === 0;
  // -w counts whole seconds: a sub-second timeout is enforced by killing ping at waitMs.
  const perHost = deadline.within(plan.waitMs + 200);
  const runs = await Promise.all(
    hosts.map(async (host) => {
      try {
        const r = await query(iputilsArgv(host, plan, options, isRoot), { deadline: perHost, okExitCodes: [1, 2] });
        const answer: HostAnswer =
          r.exitCode === 0
            ? { reachable: true, detail: 'answered' }
            : { reachable: false, detail: lastLine(r.stderr) || `no answer within ${plan.waitMs} ms` };
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

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}
