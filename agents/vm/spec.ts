// SPDX-License-Identifier: Apache-2.0
import type { ActionsSpec } from '../../lib/spec/actions.js';
import { boolean, integer, string, type ParamsOf } from '../../lib/spec/params.js';

/** The libvirt remote transports migration_transport accepts (a string, as in VirtualDomain). */
export const migrationTransports = ['ssh', 'libssh', 'tcp', 'tls'] as const;

/** Parameters: VirtualDomain's names where they apply (SEAPATH's vm_manager sets them), then the RBD ones. */
export const vmParams = {
  config: string({
    // OCF 1.0's unique="1", as VirtualDomain has it: keeps the meta-data valid for ocf-tester's DTD
    unique: true,
    desc:
      'Absolute path of the libvirt domain XML. The domain <name> in it must be the resource name; with ' +
      'seapath=true, the VM name is this file name without its extension (/etc/pacemaker/vm1.xml is vm1), and ' +
      'the file is a local copy of the XML stored in RBD, written at start and at probes. Required unless ' +
      'seapath=true, where it defaults to /etc/pacemaker/<resource>.xml.',
    shortdesc: 'Domain XML file',
  }),
  hypervisor: string({
    default: 'qemu:///system',
    desc: 'libvirt URI of the local hypervisor; every virsh call uses it.',
  }),
  seapath: boolean({
    default: false,
    desc:
      'SEAPATH mode: the domain XML lives in the metadata key `xml` of the RBD image <pool>/system_<vm>, ' +
      'where vm_manager stores it; start and probes fetch it into config.',
  }),
  force_stop: boolean({
    default: false,
    desc: 'Stop destroys the domain at once instead of asking the guest to shut down first.',
  }),
  migration_transport: string({
    desc:
      'Transport of the libvirt control connection to the target host (qemu+<transport>://<target>/system): ' +
      `one of ${migrationTransports.join(', ')}. The memory stream goes over the migration URI (migrateuri or ` +
      'migration_network_suffix), not over it.',
    shortdesc: 'Transport to the target libvirtd',
  }),
  migration_user: string({
    desc: 'User in the remote libvirt URI (user@target), as with VirtualDomain; must match ^[a-z][-a-z0-9]*$.',
  }),
  migration_downtime: integer({
    default: 0,
    min: 0,
    desc: 'Maximum downtime of a live migration in milliseconds, set once the migration runs; 0 keeps libvirt\'s default.',
  }),
  migration_speed: integer({
    default: 0,
    min: 0,
    desc: 'Bandwidth limit of a live migration in MiB/s; 0 means no limit.',
  }),
  migration_network_suffix: string({
    desc:
      'Appended to the target node name (before the first dot of a FQDN) to reach it over a dedicated ' +
      'migration network: it names the host in the remote libvirt URI and in the migration URI tcp://<node><suffix>.',
  }),
  migrateuri: string({
    desc: 'Migration URI for the memory stream, e.g. tcp://%n-mig; %n is replaced by the target node name. Overrides migration_network_suffix for the stream.',
  }),
  remoteuri: string({
    desc: 'libvirt URI of the target host, e.g. qemu+tcp://%n/system; %n is replaced by the target node name. Overrides the URI built from hypervisor, migration_transport, migration_user and migration_network_suffix.',
  }),
  autoset_utilization_cpu: boolean({
    default: false,
    desc: 'At start and after a migration, set the resource\'s `cpu` utilization to the domain\'s vCPU count.',
  }),
  autoset_utilization_hv_memory: boolean({
    default: false,
    desc: 'At start and after a migration, set the resource\'s `hv_memory` utilization to the domain\'s memory in MiB.',
  }),
  pool: string({
    default: 'rbd',
    desc: 'Ceph pool of the VM\'s system image system_<vm> (seapath=true).',
  }),
  check_image_in_use: boolean({
    default: true,
    desc:
      'Before start, refuse to start when an RBD image of the domain (system_<vm> with seapath=true, and every ' +
      'rbd disk of the XML not marked shareable or readonly) has a watcher or a lock: another host is probably ' +
      'running the VM, for instance after a split brain. A holder is released only on evidence that it cannot ' +
      'write: it went away, or its node was fenced after it was last active (it is then blocklisted, which ' +
      'needs the osd blocklist capability). Turn off only if something else guarantees that the VM runs once.',
    shortdesc: 'Refuse to start a VM whose RBD image is in use',
  }),
  ceph_client_id: string({
    desc: 'Ceph client id for rbd commands (e.g. admin for client.admin); rbd\'s default when unset.',
  }),
  ceph_conf: string({
    desc: 'Ceph configuration file for rbd commands; /etc/ceph/ceph.conf when unset.',
  }),
  ceph_keyring: string({
    desc: 'Ceph keyring file for rbd commands; found from the configuration when unset.',
  }),
} as const;

export type VmParams = ParamsOf<typeof vmParams>;

/** Timeouts as VirtualDomain advertises them; vm_manager sets its own per operation. */
export const vmActions: ActionsSpec = {
  start: { timeout: '90s' },
  stop: { timeout: '90s' },
  monitor: { timeout: '30s', interval: '10s', depth: 0 },
  migrate_to: { timeout: '120s' },
  migrate_from: { timeout: '60s' },
  'validate-all': { timeout: '10s' },
  'meta-data': { timeout: '5s' },
};
