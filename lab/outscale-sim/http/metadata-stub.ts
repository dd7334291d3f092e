// SPDX-License-Identifier: Apache-2.0
// A stand-in for the VM metadata service (http://169.254.169.254/latest/meta-data/...), served on the same port,
// so the fence agent can learn its own VM ID. Like the real service, it answers the ID of the VM whose private IP
// the request comes from (the lab's nodes each see their own), else the configured one. It can be told to hang or
// to answer 404 (faults.metadata).
import type { ServerResponse } from 'node:http';
import { sendText } from './http-io.js';
import type { RequestLogEntry } from './request-log.js';
import type { Simulator } from '../simulator.js';

export function handleMetadata(
  sim: Simulator,
  method: string,
  path: string,
  res: ServerResponse,
  entry: RequestLogEntry,
  requester: string | undefined,
): void {
  const behaviour = sim.faults.metadata;
  if (behaviour === 'hang') {
    entry.fault = 'hang';
    sim.log.finish(entry, null);
    return;
  }
  const caller = requester?.replace(/^::ffff:/, '');
  const instanceId =
    sim.config.vms.find((vm) => vm.privateIp !== undefined && vm.privateIp === caller)?.vmId ?? sim.config.metadata.instanceId;
  const documents: Record<string, string | undefined> = {
    '/latest/meta-data/': instanceId === undefined ? '' : 'instance-id\n',
    '/latest/meta-data/instance-id': instanceId,
  };
  const document = method === 'GET' && behaviour === 'answer' ? documents[path] : undefined;
  if (behaviour === 'not-found') entry.fault = 'not-found';
  if (document === undefined) {
    sim.log.finish(entry, 404);
    return sendText(res, 404, 'Not Found\n');
  }
  sim.log.finish(entry, 200);
  sendText(res, 200, document);
}
