// SPDX-License-Identifier: Apache-2.0
import { boolean, integer, ocfBoolean, string, type ParamsOf } from '../../lib/spec/index.js';
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
  netmask: string({
    // Not marked <deprecated/>: that OCF 1.1 element breaks ocf-tester's OCF 1.0 DTD check.
    desc: 'Old name of cidr_netmask, read when cidr_netmask is unset (as IPaddr2 does). Deprecated: use cidr_netmask.',
    shortdesc: 'Prefix length (old name)',
  }),
  nic: string({
    desc:
      'The interface that carries the address. When unset, it is the interface of the directly connected route (scope link) ' +
      'that covers the address, chosen once at start; never a route through a gateway. The old form eth0:label is split into ' +
      'nic eth0 and iflabel label, as IPaddr2 does. An interface that does not exist on this node bans the resource from it.',
    shortdesc: 'Network interface',
  }),
  iflabel: string({
    desc:
      'IPv4 only: a label, shown as nic:label by ip and ifconfig. nic:label must fit in 15 characters. Set for an IPv6 address ' +
      'it has no effect (the kernel keeps no labels for IPv6), with a warning.',
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
    min: 1,
    desc: 'Milliseconds between two announcements.',
    shortdesc: 'Interval between announcements (ms)',
  }),
  arp_count_refresh: integer({
    default: 0,
    min: 0,
    desc:
      "IPv4 only: gratuitous ARPs sent on every monitor, to repair neighbours' caches after a split brain. 0 sends none and keeps " +
      'the monitor free of child processes.',
    shortdesc: 'Gratuitous ARPs sent on every monitor',
  }),
  preferred_lft: string({
    default: 'forever',
    desc: 'IPv6 only: preferred lifetime of the address; 0 marks it deprecated so it is never chosen as a source address.',
    shortdesc: 'IPv6 preferred lifetime',
  }),
  check_link_status: ocfBoolean({
    default: false,
    desc:
      'When true, the address counts as not running while its interface is down (operstate down or lowerlayerdown), and start ' +
      "fails on such a link so that Pacemaker places the address on another node; after an outage of every node's link " +
      'the resource then stays stopped until its failures expire (set failure-timeout) or are cleaned up. When false (the ' +
      'default, as resource-agents 4.12 behaves), the address is added and kept on a link without carrier and serves again ' +
      'as soon as the link returns, with no action from an administrator.',
    shortdesc: 'Report a down link as not running',
  }),
  check_duplicate: boolean({
    default: true,
    desc:
      'Before adding an IPv4 address, ask the segment whether another host answers for it (iputils arping -D), and refuse ' +
      'to start only on a clear answer; without iputils arping, or on an unclear answer, start goes on with a warning. IPv6 ' +
      "addresses go through the kernel's duplicate address detection. run_arping and nodad, when set, take precedence.",
    shortdesc: 'Refuse to start when the address is already in use',
  }),
  run_arping: string({
    desc: "IPaddr2's switch for the IPv4 duplicate address check: true or false overrides check_duplicate for IPv4.",
    shortdesc: 'IPv4 duplicate address check (IPaddr2 name)',
  }),
  nodad: string({
    desc:
      'IPv6: true adds the address with nodad (no duplicate address detection, no wait); false waits for it. Unset: the opposite ' +
      'of check_duplicate.',
    shortdesc: 'IPv6: skip duplicate address detection',
  }),
  noprefixroute: ocfBoolean({
    default: false,
    desc: 'Add the address with noprefixroute: the kernel adds no route for its prefix.',
    shortdesc: 'Add the address without its prefix route',
  }),
  flush_routes: ocfBoolean({
    default: false,
    desc: "After removing the address, flush the kernel's route cache (ip route flush cache), as IPaddr2 does.",
    shortdesc: 'Flush the route cache at stop',
  }),
  arp_bg: string({
    desc:
      'true: the announcements after the first are sent in the background, so start does not wait for them (the default for IPv4); ' +
      'false: start sends all of them before returning (the default for IPv6).',
    shortdesc: 'Send announcements in the background',
  }),
  arp_sender: string({
    desc:
      "IPaddr2's choice of program for gratuitous ARPs: send_arp (used here), iputils_arping, libnet_arping or ipoibarping. " +
      'The others are accepted with a warning and send_arp sends the same gratuitous ARPs; any other value is refused.',
    shortdesc: 'Gratuitous ARP sender',
  }),
  send_arp_opts: string({
    desc:
      'Extra options for send_arp (split on spaces, placed first, as IPaddr2 does). Ignored, with a warning, when arp_sender names ' +
      'another program.',
    shortdesc: 'Extra send_arp options',
  }),
  lvs_ipv6_addrlabel: ocfBoolean({
    default: false,
    desc:
      'IPv6 only: add an address label (ip addrlabel) for the address at start and remove it at stop, so the kernel never picks it ' +
      'as a source address (LVS-DR).',
    shortdesc: 'IPv6 address label for LVS-DR',
  }),
  lvs_ipv6_addrlabel_value: integer({
    default: 99,
    min: 0,
    desc: 'The label lvs_ipv6_addrlabel gives the address.',
    shortdesc: 'IPv6 address label value',
  }),
  lvs_support: ocfBoolean({
    default: false,
    desc:
      'IPv4, for a node that is also an LVS-DR real server holding the address on lo (as a /32): start removes that copy ' +
      'before adding the address, and stop puts it back on lo after removing the address, as IPaddr2 does. No effect for IPv6 ' +
      '(see lvs_ipv6_addrlabel).',
    shortdesc: 'LVS-DR: move the loopback copy aside while running',
  }),
  network_namespace: string({
    desc: 'Not implemented: a non-empty value is refused (6), so the address is never added to the root namespace by mistake.',
    shortdesc: 'Refused: network namespace',
  }),
  unique_clone_address: ocfBoolean({
    default: false,
    desc: "IPaddr2's per-clone addresses: not implemented, true is refused (6), as is any cloned vip.",
    shortdesc: 'Refused: one address per clone instance',
  }),
  clusterip_hash: string({
    desc: 'Used by IPaddr2 only for cloned addresses (load sharing), which this agent refuses: accepted with a warning, no effect.',
    shortdesc: 'No effect: cluster IP hash',
  }),
  mac: string({
    desc: 'Used by IPaddr2 only for cloned addresses (load sharing), which this agent refuses: accepted with a warning, no effect.',
    shortdesc: 'No effect: cluster IP MAC address',
  }),
} as const;

export type VipParams = ParamsOf<typeof vipParams>;

export const vipActions: ActionsSpec = {
  start: { timeout: '20s' },
  stop: { timeout: '20s' },
  status: { timeout: '20s', interval: '10s', depth: 0 },
  monitor: { timeout: '20s', interval: '10s', depth: 0 },
};
