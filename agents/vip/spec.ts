// SPDX-License-Identifier: Apache-2.0
import { boolean, integer, string, type ParamsOf } from '../../lib/spec/index.js';
import type { ActionsSpec } from '../../lib/spec/index.js';

/** IPaddr2's parameter names, where they apply, so existing resources can switch agent unchanged. */
export const vipParams = {
  ip: string({
    required: true,
    unique: true, // not unique-group: keeps the meta-data valid for ocf-tester's OCF 1.0 DTD
    desc: 'The IPv4 or IPv6 address to float, e.g. 192.0.2.10 or 2001:db8::10.',
  }),
  cidr_netmask: string({
    desc:
      'Prefix length of the address (24, or a dotted netmask such as 255.255.255.0 for IPv4). ' +
      'When unset, it is taken from the route that covers the address, once, at start.',
    shortdesc: 'Prefix length',
  }),
  broadcast: string({
    desc: 'IPv4 broadcast address. When unset it is computed from the prefix; "+" and "-" are passed to ip as they are.',
    shortdesc: 'IPv4 broadcast address',
  }),
  nic: string({
    desc:
      'The interface that carries the address. When unset, it is the interface of the route that covers the address, ' +
      'chosen once at start. An interface that does not exist on this node bans the resource from it.',
    shortdesc: 'Network interface',
  }),
  iflabel: string({
    desc: 'IPv4 only: a label, shown as nic:label by ip and ifconfig. nic:label must fit in 15 characters.',
    shortdesc: 'Interface label',
  }),
  arp_count: integer({
    default: 5,
    min: 0,
    desc: 'How many gratuitous ARPs (IPv4) or unsolicited neighbour advertisements (IPv6) to send after the address is added.',
    shortdesc: 'Announcements sent at start',
  }),
  arp_interval: integer({
    default: 200,
    min: 10,
    desc: 'Milliseconds between two announcements.',
    shortdesc: 'Interval between announcements (ms)',
  }),
  arp_count_refresh: integer({
    default: 0,
    min: 0,
    desc: 'IPv4 only: gratuitous ARPs sent on every monitor, to repair neighbours\' caches after a split brain. 0 sends none and keeps the monitor free of child processes.',
    shortdesc: 'Gratuitous ARPs sent on every monitor',
  }),
  preferred_lft: string({
    default: 'forever',
    desc: 'IPv6 only: preferred lifetime of the address; 0 marks it deprecated so it is never chosen as a source address.',
    shortdesc: 'IPv6 preferred lifetime',
  }),
  check_link_status: boolean({
    default: true,
    desc: 'When true, the address counts as not running while its interface is down (operstate down or lowerlayerdown).',
    shortdesc: 'Report a down link as not running',
  }),
  check_duplicate: boolean({
    default: true,
    desc:
      'Before adding the address, check that no other host on the segment answers for it (ARP duplicate address ' +
      'detection for IPv4, the kernel\'s duplicate address detection for IPv6), and refuse to start if one does. ' +
      'Set to false to skip the check (IPv6 addresses are then added with nodad).',
    shortdesc: 'Refuse to start when the address is already in use',
  }),
} as const;

export type VipParams = ParamsOf<typeof vipParams>;

export const vipActions: ActionsSpec = {
  start: { timeout: '20s' },
  stop: { timeout: '20s' },
  monitor: { timeout: '20s', interval: '10s', depth: 0 },
  'validate-all': { timeout: '20s' },
  'meta-data': { timeout: '5s' },
};
