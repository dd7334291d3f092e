// SPDX-License-Identifier: Apache-2.0
import { defineResourceAgent } from '../../lib/ocf/index.js';
import { monitor, start, stop } from './handlers.js';
import { pingActions, pingParams } from './spec.js';
import { validate, validateHost } from './validate.js';

export default defineResourceAgent({
  name: 'ping',
  version: '0.1.0',
  shortdesc: 'node connectivity',
  longdesc:
    'Every time the monitor action runs, this agent counts the hosts of host_list this node can reach and publishes ' +
    'the count times multiplier as the node attribute name (pingd by default), for location rules such as ' +
    '"rule pingd: defined pingd". A drop-in for ocf:pacemaker:ping with the same parameters: every host is probed at ' +
    'once under one deadline (fping, or iputils ping when fping is absent), IPv4 and IPv6 hosts may be mixed, and ' +
    'tcp:HOST:PORT entries are probed with a TCP connect for networks that drop ICMP.',
  params: pingParams,
  actions: pingActions,
  // Stop removes the state file whatever is installed; its attrd_updater -D is best effort, as in stock.
  // A monitor answers 7 without state and 1 with it (a running resource that cannot publish), never 5.
  requires: (_p, ctx) => (ctx.action === 'stop' || ctx.action === 'monitor' ? [] : [{ tools: ['attrd_updater'] }]),
  validate,
  validateHost,
  start,
  stop,
  monitor,
  // Every parameter is read again on each monitor: a reload has nothing to apply.
  reloadAgent: async () => undefined,
});
