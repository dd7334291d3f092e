// SPDX-License-Identifier: Apache-2.0
import { defineResourceAgent } from '../../lib/ocf/index.js';
import { monitor } from './monitor.js';
import { start } from './start.js';
import { stop } from './stop.js';
import { resolve, tools, validate, validateHost } from './validate.js';
import { vipActions, vipParams } from './spec.js';

export default defineResourceAgent({
  name: 'vip',
  version: '0.1.0',
  shortdesc: 'Floating IPv4 or IPv6 address',
  longdesc:
    "Manages a floating IPv4 or IPv6 address on a Linux interface, with IPaddr2's parameter names. Start resolves the " +
    'interface and prefix from the routes once (unless nic and cidr_netmask are set), refuses an address that another ' +
    'host on the segment already answers for, waits for IPv6 duplicate address detection, and announces the address with ' +
    "gratuitous ARP or unsolicited neighbour advertisements. Monitor reads the kernel's address list without starting any process.",
  params: vipParams,
  actions: vipActions,
  requires: tools,
  resolve,
  validate,
  validateHost,
  start,
  stop,
  monitor,
});
