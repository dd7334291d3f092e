// SPDX-License-Identifier: Apache-2.0
// A simulated VM as the API shows it (spec schema Vm; only the fields the simulator models).
import type { VmRecord } from '../fleet/vm-fleet.js';

export function vmToApi(vm: VmRecord, region: string): object {
  const c = vm.config;
  return {
    VmId: c.vmId,
    State: vm.state,
    StateReason: '',
    VmType: c.vmType,
    VmInitiatedShutdownBehavior: c.shutdownBehavior,
    Architecture: 'x86_64',
    DeletionProtection: false,
    ...(c.privateIp === undefined
      ? {}
      : {
          PrivateIp: c.privateIp,
          PrivateDnsName: `ip-${c.privateIp.replaceAll('.', '-')}.${region}.compute.internal`,
        }),
    Placement: { SubregionName: c.subregionName, Tenancy: 'default' },
    Tags: [...vm.tags.entries()].map(([Key, Value]) => ({ Key, Value })),
  };
}
