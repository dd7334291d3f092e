// SPDX-License-Identifier: Apache-2.0
// The unsigned control API for tests and the lab, loopback clients only:
// GET /_sim/log, /_sim/vms, /_sim/faults, /_sim/hooks, /_sim/state; POST /_sim/faults, /_sim/reset.
import type { ServerResponse } from 'node:http';
import { sendJson } from './http-io.js';
import type { Simulator } from '../simulator.js';

export function handleControl(sim: Simulator, method: string, path: string, body: Buffer, res: ServerResponse): void {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /_sim/log':
      return sendJson(res, 200, sim.log.list());
    case 'GET /_sim/vms':
      return sendJson(res, 200, vmsView(sim));
    case 'GET /_sim/faults':
      return sendJson(res, 200, sim.faults);
    case 'GET /_sim/hooks':
      return sendJson(res, 200, sim.hookRuns);
    case 'GET /_sim/state':
      return sendJson(res, 200, { vms: vmsView(sim), faults: sim.faults, auth: sim.auth.snapshot(), hooks: sim.hookRuns });
    case 'POST /_sim/faults': {
      try {
        const json: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
        return sendJson(res, 200, sim.setFaults(json));
      } catch (e) {
        // Invalid JSON or an invalid fault description: say which field, keep the previous faults.
        return sendJson(res, 400, { error: e instanceof Error ? e.message : String(e) });
      }
    }
    case 'POST /_sim/reset':
      sim.reset();
      return sendJson(res, 200, { reset: true });
    default:
      return sendJson(res, 404, { error: `no control route ${route}` });
  }
}

function vmsView(sim: Simulator): object[] {
  const now = Date.now();
  return sim.fleet.all().map((vm) => ({
    vmId: vm.config.vmId,
    state: vm.state,
    stateSince: new Date(vm.stateSinceMs).toISOString(),
    nextTransitionInMs: vm.dueAtMs === undefined ? null : Math.max(0, vm.dueAtMs - now),
    tags: Object.fromEntries(vm.tags),
    shutdownBehavior: vm.config.shutdownBehavior,
    lastStopForced: vm.lastStopForced ?? null,
  }));
}
