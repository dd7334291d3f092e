// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { migrateUriFor, remoteUriFor, withNetworkSuffix } from '../../../../agents/vm/migration.js';

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

describe('migrateUriFor', () => {
  it.each([
    [{ hypervisor: 'qemu:///system' }, undefined],
    [{ hypervisor: 'qemu:///system', migration_network_suffix: '-mig' }, 'tcp://n2-mig'],
    [{ hypervisor: 'xen:///system', migration_network_suffix: '-mig' }, 'n2-mig'],
    [{ hypervisor: 'lxc:///system', migration_network_suffix: '-mig' }, undefined],
    [{ hypervisor: 'qemu:///system', migration_network_suffix: '-mig', migrateuri: 'tcp://%n:49152' }, 'tcp://n2:49152'],
  ])('%o → %s', (route, expected) => {
    expect(migrateUriFor('n2', route)).toBe(expected);
  });
});
