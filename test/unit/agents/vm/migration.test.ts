// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import {
  migrateUriFor,
  migrationRouteProblem,
  remoteUriFor,
  splitMigrateOptions,
  withNetworkSuffix,
} from '../../../../agents/vm/migration.js';

describe('withNetworkSuffix', () => {
  it.each([
    ['n2', undefined, 'n2'],
    ['n2', '-mig', 'n2-mig'],
    ['n2.lab.example', '-mig', 'n2-mig.lab.example'],
  ])('%s + %s → %s', (node, suffix, expected) => {
    expect(withNetworkSuffix(node, suffix)).toBe(expected);
  });
});

describe('remoteUriFor', () => {
  it.each([
    [{ hypervisor: 'qemu:///system' }, 'qemu://n2/system'],
    [{ hypervisor: 'qemu:///system', migration_transport: 'tcp' }, 'qemu+tcp://n2/system'],
    // vm_manager's definition
    [{ hypervisor: 'qemu:///system', migration_transport: 'ssh', migration_user: 'root' }, 'qemu+ssh://root@n2/system'],
    // a POSIX user name VirtualDomain's regex would silently drop (migrating as root)
    [{ hypervisor: 'qemu:///system', migration_transport: 'libssh2', migration_user: 'virt_user' }, 'qemu+libssh2://virt_user@n2/system'],
    [{ hypervisor: 'qemu:///system', migration_transport: 'ssh', migration_user: 'John.Doe' }, 'qemu+ssh://John.Doe@n2/system'],
    [{ hypervisor: 'qemu:///system', migration_transport: 'ssh', migration_user: 'Bad User' }, 'qemu+ssh://n2/system'],
    [{ hypervisor: 'qemu:///system', migration_transport: 'tcp', migration_network_suffix: '-mig' }, 'qemu+tcp://n2-mig/system'],
    [{ hypervisor: 'qemu+tcp://n1:16509/system' }, 'qemu+tcp://n2:16509/system'],
    [{ hypervisor: 'qemu+unix:///system?socket=/run/n1/libvirt-sock', migration_transport: 'tcp' }, 'qemu+tcp://n2/system'],
    [{ hypervisor: 'qemu:///session', migration_transport: 'ssh' }, 'qemu+ssh://n2/session'],
    [{ hypervisor: 'qemu:///system', remoteuri: 'qemu+tcp://%n.mig/system', migration_transport: 'ssh' }, 'qemu+tcp://n2.mig/system'],
  ])('%o → %s', (route, expected) => {
    expect(remoteUriFor('n2', route)).toBe(expected);
  });

  it('rejects a hypervisor that is not a URI', () => {
    expect(() => remoteUriFor('n2', { hypervisor: 'qemu' })).toThrow('not of the form');
  });
});

describe('migrationRouteProblem', () => {
  it('names a transport or a user that cannot work', () => {
    expect(migrationRouteProblem({ hypervisor: 'qemu:///system', migration_transport: 'bogus' })).toContain('migration_transport');
    expect(migrationRouteProblem({ hypervisor: 'qemu:///system', migration_user: 'Bad User' })).toContain('migration_user');
  });

  it('refuses a network suffix that is more than host name characters (it would add to the URI), remoteuri or not', () => {
    for (const remoteuri of [undefined, 'qemu+ssh://%n/system'])
      expect(migrationRouteProblem({ hypervisor: 'qemu:///system', remoteuri, migration_network_suffix: '/system?no_verify=1#' })).toBe(
        "parameter migration_network_suffix must be part of a host name (letters, digits, '-' and '.'), got '/system?no_verify=1#'",
      );
    expect(migrationRouteProblem({ hypervisor: 'qemu:///system', migration_network_suffix: '-mig.lan' })).toBeUndefined();
  });

  it('has nothing to say of them when remoteuri is set: they are not used then', () => {
    const route = {
      hypervisor: 'qemu:///system',
      remoteuri: 'qemu+ssh://%n/system',
      migration_transport: 'bogus',
      migration_user: 'Bad User',
    };
    expect(migrationRouteProblem(route)).toBeUndefined();
  });
});

describe('migrateUriFor', () => {
  it.each([
    [{ hypervisor: 'qemu:///system' }, undefined],
    [{ hypervisor: 'qemu:///system', migration_network_suffix: '-mig' }, 'tcp://n2-mig'],
    [{ hypervisor: 'xen:///system', migration_network_suffix: '-mig' }, 'n2-mig'],
    [{ hypervisor: 'lxc:///system', migration_network_suffix: '-mig' }, undefined],
    // %n carries the suffix, as VirtualDomain substitutes it; not with remoteuri, where stock adds none
    [{ hypervisor: 'qemu:///system', migration_network_suffix: '-mig', migrateuri: 'tcp://%n:49152' }, 'tcp://n2-mig:49152'],
    [
      { hypervisor: 'qemu:///system', migration_network_suffix: '-mig', migrateuri: 'tcp://%n:49152', remoteuri: 'qemu+ssh://%n/system' },
      'tcp://n2:49152',
    ],
    // migrateport: the port of the URI built from the suffix, as VirtualDomain's tcp:<node><suffix>:<port>
    [{ hypervisor: 'qemu:///system', migration_network_suffix: '-mig', migrateport: 49200 }, 'tcp://n2-mig:49200'],
    [{ hypervisor: 'qemu:///system', migrateport: 49200 }, undefined],
    // --migrateuri= in migrate_options, unless migrateuri is set
    [
      { hypervisor: 'qemu:///system', migration_network_suffix: '-mig', migrate_options: '--p2p --migrateuri=tcp://%n-x:49153' },
      'tcp://n2-mig-x:49153',
    ],
    [{ hypervisor: 'qemu:///system', migrateuri: 'tcp://%n', migrate_options: '--migrateuri=tcp://other' }, 'tcp://n2'],
  ])('%o → %s', (route, expected) => {
    expect(migrateUriFor('n2', route)).toBe(expected);
  });
});

describe('splitMigrateOptions', () => {
  it.each([
    ['--p2p --auto-converge --compressed --timeout 30', ['--p2p', '--auto-converge', '--compressed', '--timeout', '30'], undefined],
    ['  --p2p   --migrateuri=tcp://%n:49155 --compressed', ['--p2p', '--compressed'], 'tcp://%n:49155'],
    ['--migrateuri tcp://%n --verbose', ['--verbose'], 'tcp://%n'],
    // the agent gives these itself; virsh refuses an option seen twice
    ['--live --undefinesource --p2p', ['--p2p'], undefined],
    [undefined, [], undefined],
  ])('%s', (options, extra, migrateUri) => {
    expect(splitMigrateOptions(options)).toEqual({ extra, migrateUri });
  });
});
