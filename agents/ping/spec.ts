// SPDX-License-Identifier: Apache-2.0
import { custom, duration, integer, string, type ActionsSpec, type ParamsOf } from '../../lib/spec/index.js';
import { parseTimeout } from './timing.js';

/**
 * ocf:pacemaker:ping's parameters, with its names, meanings and defaults: crm_mon shows
 * connectivity for any resource of type ping from `name`, `host_list` and `multiplier`, and
 * existing location rules read the attribute `name`.
 */
export const pingParams = {
  pidfile: string({
    desc:
      'Ignored, with a warning: kept so that resources created for ocf:pacemaker:ping are accepted unchanged. The state file is ' +
      'named after the resource instance under HA_RSCTMP.',
    shortdesc: 'Ignored (state file)',
    deprecated: { desc: 'The state file is per resource instance; this value is not used.' },
  }),
  dampen: duration({
    unit: 's',
    default: 5000,
    allowZero: true,
    reloadable: true,
    desc:
      'How long attrd waits for further changes before writing the attribute to the CIB, so a flapping link does not move ' +
      'resources back and forth.',
    shortdesc: 'Dampening interval',
  }),
  name: string({
    default: 'pingd',
    uniqueGroup: 'name',
    desc: 'The name of the node attribute to set. This is the name to use in location rules, e.g. "rule pingd: defined pingd".',
    shortdesc: 'Attribute name',
  }),
  multiplier: integer({
    default: 1,
    desc: "The number by which the count of reachable hosts is multiplied to give the attribute's value.",
    shortdesc: 'Value multiplier',
  }),
  host_list: string({
    required: true,
    desc:
      'A space separated list of hosts to count: IPv4 and IPv6 addresses (they may be mixed) and host names, pinged with ICMP; ' +
      'and tcp:HOST:PORT (tcp:[IPv6]:PORT) entries, counted when a TCP connection to PORT is established, for networks that drop ICMP.',
    shortdesc: 'Host list',
  }),
  attempts: integer({
    default: 3,
    min: 1,
    reloadable: true,
    desc: 'Number of ping attempts, per host, before declaring it dead. The attempts share the timeout.',
    shortdesc: 'Number of ping attempts',
  }),
  timeout: custom({
    parse: parseTimeout,
    reloadable: true,
    desc:
      "How long, in seconds (or with a unit: 500ms), to wait for a host's answer, all attempts included, before declaring it lost. " +
      'Unset, it is computed as the stock agent does: the operation timeout / hosts / attempts / 1100 ms, in whole seconds ' +
      '(5 when that is under 1; e.g. 18 s for a 60 s monitor, 1 host and 3 attempts). As in the stock agent, 0 means 5 s and a ' +
      'value that is not a duration the computed one, with a warning. Every host is probed at once, so a monitor ' +
      'takes about this long when a host is down, whatever the number of hosts; it is shortened to fit in the operation timeout.',
    shortdesc: 'Ping timeout in seconds',
  }),
  options: string({
    desc: 'A catch all for any other options to pass to fping (or ping, when fping is not used), separated by spaces.',
    shortdesc: 'Extra options',
  }),
  failure_score: integer({
    desc:
      'The resource fails (monitor and start return 1) when the score is less than failure_score. Unset, it is 0 as in the stock ' +
      'agent: only a negative multiplier can make the score less than that.',
    shortdesc: 'failure_score',
  }),
  use_fping: string({
    default: '1',
    desc:
      'Use fping rather than ping, if installed. If false, iputils ping is used even when fping is present. Read as the stock agent ' +
      'reads it (ocf_is_true): a value other than true/yes/on/1 means false, with a warning when it is not false/no/off/0 either.',
    shortdesc: 'Use fping if available',
  }),
  debug: string({
    default: 'false',
    reloadable: true,
    desc: 'true logs every unreachable host on every monitor; verbose also logs the raw fping or ping output; false logs only changes.',
    shortdesc: 'Verbose logging',
  }),
} as const;

export type PingParams = ParamsOf<typeof pingParams>;

/** The stock agent's advertised timeouts, in its order (meta-data before validate-all). */
export const pingActions: ActionsSpec = {
  start: { timeout: '60s' },
  stop: { timeout: '20s' },
  monitor: { timeout: '60s', interval: '10s', depth: 0 },
  'meta-data': { timeout: '5s' },
  'validate-all': { timeout: '30s' },
};
