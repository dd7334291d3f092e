// SPDX-License-Identifier: Apache-2.0
import { Ocf, OcfError } from '../../lib/ocf/index.js';

// fping 5 short options that take an argument (in the same token or the next one).
const withArgument = new Set('bBcCfHIiOpQrStx'.split(''));
const longToShort: Readonly<Record<string, string>> = {
  ipv4: '4',
  ipv6: '6',
  size: 'b',
  backoff: 'B',
  count: 'c',
  file: 'f',
  generate: 'g',
  ttl: 'H',
  iface: 'I',
  loop: 'l',
  all: 'm',
  dontfrag: 'M',
  tos: 'O',
  period: 'p',
  retry: 'r',
  random: 'R',
  src: 'S',
  timeout: 't',
  alive: 'a',
  addr: 'A',
  vcount: 'C',
  rdns: 'd',
  timestamp: 'D',
  elapsed: 'e',
  interval: 'i',
  name: 'n',
  netdata: 'N',
  outage: 'o',
  quiet: 'q',
  squiet: 'Q',
  stats: 's',
  unreach: 'u',
  version: 'v',
  reachable: 'x',
  help: 'h',
};

// Options that only change how fping names or lists the hosts it reports: the agent reads fping's
// answers by the names it passed, so it runs fping without them (what is measured is the same).
const displayOnly: Readonly<Record<string, string>> = {
  A: 'shows hosts by address',
  n: 'shows hosts by reverse-DNS name',
  d: 'shows hosts by reverse-DNS name',
  a: 'lists alive hosts without "is alive"',
  m: 'host names are resolved by the agent, one address each',
};
// Options that replace the per-host verdicts the score is read from, or change the list of targets.
const refused: Readonly<Record<string, string>> = {
  c: 'count mode',
  C: 'count mode',
  l: 'loop mode',
  q: 'quiet mode',
  Q: 'quiet mode',
  N: 'netdata output',
  u: 'lists only unreachable hosts',
  f: 'reads targets from a file',
  g: 'generates targets',
  x: 'reports only a count',
  v: 'prints the version',
  h: 'prints the help',
};

export interface FpingOptions {
  /** What is passed to fping. */
  readonly kept: string[];
  /** Display options left out, with why they make no difference, for a warning. */
  readonly dropped: string[];
}

/**
 * Sorts the `options` parameter for fping: display options that rename or hide hosts are left
 * out (named in `dropped`), options that would leave the agent without per-host verdicts are an
 * error rather than a silent score of 0: of this node (2), since a node without fping gives them to ping.
 */
export function sortFpingOptions(options: readonly string[]): FpingOptions {
  const kept: string[] = [];
  const dropped: string[] = [];
  const take = (flag: string, token: string): void => {
    const refusal = refused[flag];
    if (refusal !== undefined)
      throw new OcfError(
        Ocf.ERR_ARGS,
        `options: fping ${token} (${refusal}) leaves the agent no per-host answer to count; remove it from options`,
      );
    const why = displayOnly[flag];
    if (why !== undefined) dropped.push(`${token} (${why})`);
    else kept.push(flag.length === 1 ? `-${flag}` : token);
  };
  for (let i = 0; i < options.length; i++) {
    const token = options[i] ?? '';
    if (token.startsWith('--')) {
      const [name = '', value] = token.slice(2).split('=', 2);
      const flag = longToShort[name];
      if (flag === undefined || (!displayOnly[flag] && !refused[flag])) {
        kept.push(token);
        if (flag !== undefined && withArgument.has(flag) && value === undefined && i + 1 < options.length) kept.push(options[++i] ?? '');
      } else take(flag, token);
      continue;
    }
    if (!token.startsWith('-') || token.length < 2) {
      kept.push(token);
      continue;
    }
    // A cluster of short flags (-An), possibly ending with one that takes an argument (-At500).
    for (let j = 1; j < token.length; j++) {
      const flag = token[j] ?? '';
      if (withArgument.has(flag)) {
        const inline = token.slice(j + 1);
        if (refused[flag] !== undefined) take(flag, `-${flag}`);
        kept.push(`-${flag}${inline}`);
        if (inline === '' && i + 1 < options.length) kept.push(options[++i] ?? '');
        break;
      }
      take(flag, `-${flag}`);
    }
  }
  return { kept, dropped };
}
