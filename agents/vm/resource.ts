// SPDX-License-Identifier: Apache-2.0
// What the vm handlers share: the resource's libvirt and Ceph clients, its saved state, its QEMU.
import { query } from '../../lib/exec/index.js';
import { Ocf, OcfError, type ResourceContext } from '../../lib/ocf/index.js';
import { uuidFromConfig } from './config-source.js';
import { isVmState, type VmIdentity, type VmState } from './identity.js';
import { findQemuProcesses, type QemuProcess } from './qemu-process.js';
import { Rbd, type CephClient } from './rbd.js';
import { RadosLocks } from './rados-locks.js';
import type { VmParams } from './spec.js';
import { Virsh, type Exec } from './virsh.js';

// Every vm action spawns through node:child_process (`query`), never execa: loading execa and its
// per-call cost were half of a start's own CPU (~85 ms, bench/README.md), paid by every VM at a cold start.
export function virshFor(p: VmParams, exec: Exec = query): Virsh {
  return new Virsh(p.hypervisor, exec);
}

export function rbdFor(p: VmParams, exec: Exec = query): Rbd {
  return new Rbd(cephClientOf(p), exec);
}

export function radosLocksFor(p: VmParams, exec: Exec = query): RadosLocks {
  return new RadosLocks(cephClientOf(p), exec);
}

function cephClientOf(p: VmParams): CephClient {
  return { id: p.ceph_client_id, conf: p.ceph_conf, keyring: p.ceph_keyring };
}

export function libvirtUnreachable(p: VmParams, detail: string): OcfError {
  return new OcfError(Ocf.ERR_GENERIC, `cannot reach libvirt at ${p.hypervisor}: ${detail}`);
}

export function savedState(ctx: ResourceContext): VmState | undefined {
  return ctx.state.load(isVmState);
}

/** The domain's QEMU processes on this node, found in /proc by name and UUID. */
export function qemuOf(vm: VmIdentity, ctx: ResourceContext): QemuProcess[] {
  return findQemuProcesses({ name: vm.name, uuid: savedState(ctx)?.uuid ?? uuidFromConfig(vm.config) });
}
