// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';

/** Where libvirt's QEMU driver and the system keep what says who QEMU runs as. */
export interface QemuUserFiles {
  readonly qemuConf: string;
  readonly passwd: string;
}

export const systemQemuUserFiles: QemuUserFiles = { qemuConf: '/etc/libvirt/qemu.conf', passwd: '/etc/passwd' };

/** Debian's libvirt runs QEMU as this user when qemu.conf names none. */
const defaultQemuUser = 'libvirt-qemu';

/**
 * The real uids a QEMU started by libvirt runs as on this node: root, this agent's own user (a
 * qemu:///session driver), and the `user` of qemu.conf. A process of any other user that calls
 * itself a domain's QEMU is someone's imitation: trusting it would let any local user make a probe
 * report the VM active here, or have a stop kill that user's process.
 */
export function qemuUids(files: QemuUserFiles = systemQemuUserFiles): ReadonlySet<number> {
  const uids = new Set<number>([0, process.getuid?.() ?? 0]);
  const user = configuredUser(readOrEmpty(files.qemuConf)) ?? defaultQemuUser;
  const uid = /^\+\d+$/.test(user) ? Number(user.slice(1)) : uidOf(user, readOrEmpty(files.passwd));
  if (uid !== undefined) uids.add(uid);
  return uids;
}

/** qemu.conf's `user = "name"` (or `"+uid"`); the last one counts, as libvirt's parser keeps the last. */
function configuredUser(conf: string): string | undefined {
  let user: string | undefined;
  for (const line of conf.split('\n')) {
    const m = /^\s*user\s*=\s*"([^"]*)"/.exec(line);
    if (m?.[1] !== undefined && m[1] !== '') user = m[1];
  }
  return user;
}

function uidOf(user: string, passwd: string): number | undefined {
  for (const line of passwd.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name === user && uid !== undefined && /^\d+$/.test(uid)) return Number(uid);
  }
  return undefined;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
