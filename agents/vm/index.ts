// SPDX-License-Identifier: Apache-2.0
import { defineResourceAgent } from '../../lib/ocf/index.js';
import { migrateFrom, migrateTo, monitor, start, stop, validate, validateHost } from './handlers.js';
import { vmSourceOf } from './identity.js';
import { vmActions, vmParams } from './spec.js';
import { vmTools } from './tools.js';

/**
 * The VM agent under a given name: `vm`, and `VirtualDomain`, the type SEAPATH's vm_manager
 * creates and looks its VMs up by. Meta-data carries the name the agent was invoked as.
 */
export function vmAgentNamed(name: string) {
  return defineResourceAgent({
    name,
    version: '1.0',
    shortdesc: 'libvirt VM on Ceph RBD, with live migration and split-brain protection',
    longdesc:
      'Runs a libvirt domain (transient, as with VirtualDomain) whose disks are Ceph RBD images, and live-migrates it between nodes. ' +
      'Parameter names follow ocf:heartbeat:VirtualDomain as SEAPATH uses it. With seapath=true the ' +
      'domain XML is taken from the metadata key xml of the image <pool>/system_<vm>. Start refuses ' +
      'to start a VM whose RBD image another client holds (watcher or lock), so a VM does not run ' +
      'twice after a split brain. Stop shuts the guest down within a share of its timeout, then ' +
      'destroys it, and kills its QEMU itself when libvirt cannot, so that stop never reports a VM ' +
      'stopped that still runs.',
    params: vmParams,
    actions: vmActions,
    requires: vmTools,
    resolve: (p, ctx) => vmSourceOf(p, ctx.instance),
    validate,
    validateHost,
    start,
    stop,
    monitor,
    migrateTo,
    migrateFrom,
    // Every parameter is read again by each action: a reload has nothing to apply to the running VM.
    reloadAgent: async (_p, ctx) => ctx.log.info('parameters reloaded; the running VM is left as it is'),
  });
}

export default vmAgentNamed('vm');
export const virtualDomain = vmAgentNamed('VirtualDomain');
