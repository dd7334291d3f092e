// SPDX-License-Identifier: Apache-2.0
import { boolean, integer, ocfBoolean, string, type ActionsSpec, type ParamsOf } from '../../lib/spec/index.js';

/** The libvirt remote transports migration_transport accepts (a string, as in VirtualDomain): libvirt's list. */
export const migrationTransports = ['ssh', 'libssh', 'libssh2', 'tcp', 'tls', 'unix', 'ext'] as const;

/**
 * Parameters: VirtualDomain's names where they apply (SEAPATH's vm_manager sets them), then the RBD ones.
 * VirtualDomain's booleans (and SEAPATH's seapath) are read as its ocf_is_true reads them; this agent's
 * own check_image_in_use is strict, so that a typo cannot turn the guard off.
 */
export const vmParams = {
  config: string({
    // OCF 1.0's unique="1", as VirtualDomain has it: keeps the meta-data valid for ocf-tester's DTD
    unique: true,
    desc:
      'Absolute path of the libvirt domain XML; the domain is the one its <name> names, as with VirtualDomain. ' +
      'With seapath=true, the RBD image is named after this file without its extension (/etc/pacemaker/vm1.xml: ' +
      'system_vm1), and the file is a local copy of the XML stored in RBD, written at start and by probes that ' +
      'need the name of the domain. Required unless seapath=true, where it defaults to /etc/pacemaker/<resource>.xml.',
    shortdesc: 'Domain XML file',
  }),
  hypervisor: string({
    default: 'qemu:///system',
    desc: 'libvirt URI of the local hypervisor; every virsh call uses it.',
  }),
  seapath: ocfBoolean({
    default: false,
    desc:
      'SEAPATH mode: the domain XML lives in the metadata key `xml` of the RBD image <pool>/system_<vm>, ' +
      'where vm_manager stores it; start fetches it into config.',
  }),
  force_stop: ocfBoolean({
    reloadable: true,
    default: false,
    desc: 'Stop destroys the domain at once instead of asking the guest to shut down first.',
  }),
  migration_transport: string({
    reloadable: true,
    desc:
      'Transport of the libvirt control connection to the target host (qemu+<transport>://<target>/system): ' +
      `one of ${migrationTransports.join(', ')}. The memory stream goes over the migration URI (migrateuri or ` +
      'migration_network_suffix), not over it.',
    shortdesc: 'Transport to the target libvirtd',
  }),
  migration_user: string({
    desc:
      'User in the remote libvirt URI (user@target), as with VirtualDomain; a user name as useradd takes it ' +
      '(^[A-Za-z_][A-Za-z0-9._-]*[$]?$). ' +
      'Ignored when remoteuri is set.',
    reloadable: true,
  }),
  migration_downtime: integer({
    reloadable: true,
    default: 0,
    min: 0,
    desc: "Maximum downtime of a live migration in milliseconds, set once the migration runs; 0 keeps libvirt's default.",
  }),
  migration_speed: integer({
    reloadable: true,
    default: 0,
    min: 0,
    desc: 'Bandwidth limit of a live migration in MiB/s; 0 means no limit.',
  }),
  migration_network_suffix: string({
    reloadable: true,
    desc:
      'Appended to the target node name (before the first dot of a FQDN) to reach it over a dedicated ' +
      'migration network: it names the host in the remote libvirt URI and in the migration URI tcp://<node><suffix>. ' +
      "Letters, digits, '-' and '.' only.",
  }),
  migrateuri: string({
    reloadable: true,
    desc:
      'Migration URI for the memory stream, e.g. tcp://%n-mig; %n is replaced by the target node name. Overrides ' +
      'migration_network_suffix for the stream.',
  }),
  remoteuri: string({
    reloadable: true,
    desc:
      'libvirt URI of the target host, e.g. qemu+tcp://%n/system; %n is replaced by the target node name. Overrides the URI built ' +
      'from hypervisor, migration_transport, migration_user and migration_network_suffix.',
  }),
  autoset_utilization_cpu: ocfBoolean({
    reloadable: true,
    default: true,
    desc: "At start and after a migration, set the resource's `cpu` utilization to the domain's vCPU count.",
  }),
  autoset_utilization_hv_memory: ocfBoolean({
    reloadable: true,
    default: true,
    desc: "At start and after a migration, set the resource's `hv_memory` utilization to the domain's memory in MiB.",
  }),
  autoset_utilization_host_memory: ocfBoolean({
    default: true,
    reloadable: true,
    desc: "At start and after a migration, set the resource's `host_memory` utilization to the domain's maximum memory in MiB.",
  }),
  unset_utilization_cpu: ocfBoolean({
    default: false,
    reloadable: true,
    desc: "When autoset_utilization_cpu is off: at start and after a migration, delete the resource's `cpu` utilization.",
  }),
  unset_utilization_host_memory: ocfBoolean({
    default: false,
    reloadable: true,
    desc: "When autoset_utilization_host_memory is off: at start and after a migration, delete the resource's `host_memory` utilization.",
  }),
  unset_utilization_hv_memory: ocfBoolean({
    default: false,
    reloadable: true,
    desc: "When autoset_utilization_hv_memory is off: at start and after a migration, delete the resource's `hv_memory` utilization.",
  }),
  migrateport: integer({
    min: 1,
    max: 65535,
    reloadable: true,
    desc:
      'Port of the migration URI built from migration_network_suffix (tcp://<node><suffix>:<port>), as with ' +
      'VirtualDomain; unset lets libvirt choose one of its migration ports (49152-49215).',
  }),
  migrate_options: string({
    reloadable: true,
    desc:
      'Extra options for `virsh migrate`, split on spaces, e.g. "--p2p --auto-converge --compressed --timeout 60". ' +
      'A --migrateuri=<uri> in them (%n: the target node) sets the migration URI unless migrateuri is set; ' +
      '--live and --undefinesource are always given.',
  }),
  monitor_scripts: string({
    reloadable: true,
    desc:
      'Space-separated programs run after each successful status check, as with VirtualDomain: one that exits ' +
      'non-zero fails the monitor (1); start and migrate_from wait until they all pass.',
  }),
  start_resources: ocfBoolean({
    reloadable: true,
    default: false,
    desc:
      'Before start, and on the target before a migration: start the libvirt storage pools and networks the ' +
      'domain XML names (pool=, network=) that are not active, and refresh active pools.',
  }),
  save_config_on_stop: ocfBoolean({
    reloadable: true,
    default: false,
    desc:
      "Before a stop and around a migration, write the domain's definition (virsh dumpxml --inactive " +
      '--security-info) back to config when it changed and validates; with seapath=true also to the xml ' +
      'metadata of the system image.',
  }),
  sync_config_on_stop: ocfBoolean({
    reloadable: true,
    default: false,
    desc: 'Implies save_config_on_stop; after saving the XML at stop, runs `csync2 -x <config>` (csync2 must be installed).',
  }),
  shutdown_mode: string({
    reloadable: true,
    desc:
      'How stop asks the guest to power off: `virsh shutdown --mode <mode>` (acpi, agent, initctl, signal, ' +
      'paravirt, comma-separated). If libvirt refuses the mode, stop asks once more without it.',
  }),
  snapshot: string({
    desc:
      "Refused (6): VirtualDomain saves the guest's RAM into this directory at stop and resumes it at start; on shared RBD disks " +
      'that may resume a guest over a disk that moved on.',
  }),
  backingfile: string({
    desc:
      "Refused (6): VirtualDomain's node-local qcow2 overlay over this file; this agent runs domains whose disks are shared (RBD), " +
      'the same on every node.',
  }),
  stateless: ocfBoolean({
    default: false,
    desc: 'Refused (6) when true: it recreates the backingfile overlay at every start, and needs backingfile.',
  }),
  copyindirs: string({
    reloadable: true,
    desc:
      'Has no effect (a WARNING says so): VirtualDomain copies these directories into the guest only in stateless mode, which this ' +
      'agent refuses.',
  }),
  libvirt_outage_grace: integer({
    default: 120,
    min: 0,
    reloadable: true,
    desc:
      'Seconds a recurring monitor keeps reporting a VM running, with a WARNING, while libvirt does not answer ' +
      "and the domain's QEMU is alive in /proc (a libvirtd restart or upgrade); after that, the monitor fails (1). " +
      '0 fails at once.',
  }),
  pool: string({
    default: 'rbd',
    desc: "Ceph pool of the VM's system image system_<vm> (seapath=true).",
  }),
  check_image_in_use: boolean({
    reloadable: true,
    default: true,
    desc:
      'Before start, refuse to start when an RBD image of the domain (system_<vm> with seapath=true, and every ' +
      'rbd disk of the XML not marked shareable or readonly) has a watcher or a lock: another host is probably ' +
      'running the VM, for instance after a split brain. A holder is released only on evidence that it cannot ' +
      'write: it went away, or its node was fenced after it was last active (it is then blocklisted, which ' +
      'needs the osd blocklist capability). The check and the start run under a start lock on each image (a RADOS ' +
      "lock 'seapath-start' on its header object, taken with rados), so that two starts at the same moment cannot " +
      'both find the image free. Turn off only if something else guarantees that the VM runs once.',
    shortdesc: 'Refuse to start a VM whose RBD image is in use',
  }),
  ceph_client_id: string({
    reloadable: true,
    desc: "Ceph client id for rbd commands (e.g. admin for client.admin); rbd's default when unset.",
  }),
  ceph_conf: string({
    reloadable: true,
    desc: 'Ceph configuration file for rbd commands; /etc/ceph/ceph.conf when unset.',
  }),
  ceph_keyring: string({
    reloadable: true,
    desc: 'Ceph keyring file for rbd commands; found from the configuration when unset.',
  }),
} as const;

export type VmParams = ParamsOf<typeof vmParams>;

/** Timeouts as VirtualDomain advertises them; vm_manager sets its own per operation. */
export const vmActions: ActionsSpec = {
  start: { timeout: '90s' },
  stop: { timeout: '90s' },
  status: { timeout: '30s', interval: '10s', depth: 0 },
  monitor: { timeout: '30s', interval: '10s', depth: 0 },
  migrate_to: { timeout: '120s' },
  migrate_from: { timeout: '60s' },
  'reload-agent': { timeout: '20s' },
  'validate-all': { timeout: '10s' },
};
