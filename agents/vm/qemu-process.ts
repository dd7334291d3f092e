// SPDX-License-Identifier: Apache-2.0
import { hasExited, processesWhere, realUidOf } from '../../lib/proc/index.js';
import { sleep, type Deadline } from '../../lib/time/index.js';
import { qemuUids, systemQemuUserFiles, type QemuUserFiles } from './qemu-user.js';
import { errnoCode } from '../../lib/unknown/index.js';

/** How to recognise a domain's QEMU on the command line libvirt gives it. */
export interface DomainRef {
  readonly name: string;
  readonly uuid?: string | undefined;
}

/** A live QEMU process; `startTime` tells it apart from a later process that reuses the pid. */
export interface QemuProcess {
  readonly pid: number;
  readonly startTime: string;
}

/**
 * True when a command line is the QEMU that libvirt runs for `domain`: `-name guest=<name>,…` (or
 * the older `-name <name>`) decides, since libvirt renames only inactive domains, so a running
 * QEMU carries its domain's current name. The UUID is the same across hosts for two domains
 * (libvirt refuses a duplicate on one host only, and a stale /etc/pacemaker/<vm>.xml or a copied
 * XML keeps an old one): a QEMU naming another guest is never this domain's, whatever its
 * `-uuid`, or a stop would kill another VM. `-uuid` counts only for a QEMU given no name.
 */
export function isQemuOf(argv: readonly string[], domain: DomainRef): boolean {
  if (!isQemu(argv)) return false;
  const i = argv.indexOf('-name');
  if (i >= 0) {
    const value = argv[i + 1] ?? '';
    return value === domain.name || qemuOptionValues(value).some((part) => part === `guest=${domain.name}`);
  }
  const j = argv.indexOf('-uuid');
  return domain.uuid !== undefined && j >= 0 && (argv[j + 1] ?? '').toLowerCase() === domain.uuid.toLowerCase();
}

/** The parts of a QEMU option value: split on single commas, `,,` being an escaped comma (libvirt writes `db,1` as `db,,1`). */
export function qemuOptionValues(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== ',') current += value[i];
    else if (value[i + 1] === ',') {
      current += ',';
      i++;
    } else {
      parts.push(current);
      current = '';
    }
  }
  parts.push(current);
  return parts;
}

/**
 * The domain's QEMU processes on this node, read from /proc. Used when libvirt cannot answer, or
 * does not know the domain, so that stop and monitors can still tell whether the VM runs here.
 * Processes in another network namespace belong to another node (lab nodes share one pid
 * namespace) and are left out; one whose namespace cannot be read counts as this node's, since
 * missing a running QEMU would let the VM start twice. Only processes of root or of libvirt's
 * QEMU user count (qemu-user.ts): another user's imitation is not the domain's QEMU.
 */
export function findQemuProcesses(domain: DomainRef, proc = '/proc', users = systemQemuUserFiles): QemuProcess[] {
  return qemuProcessesWhere((argv) => isQemuOf(argv, domain), proc, users);
}

/** Any QEMU on this node, whatever domain it runs (same rules as findQemuProcesses). */
export function findAllQemuProcesses(proc = '/proc', users = systemQemuUserFiles): QemuProcess[] {
  return qemuProcessesWhere(isQemu, proc, users);
}

function isQemu(argv: readonly string[]): boolean {
  return /qemu/.test(argv[0] ?? '');
}

function qemuProcessesWhere(matches: (argv: readonly string[]) => boolean, proc: string, users: QemuUserFiles): QemuProcess[] {
  let trusted: ReadonlySet<number> | undefined; // read only once a command line matches: most scans find none
  const found: QemuProcess[] = [];
  for (const p of processesWhere(matches, proc)) {
    // An unreadable uid counts as libvirt's, as an unreadable namespace counts as ours: a QEMU missed is a VM run twice.
    const uid = realUidOf(p.pid, proc);
    if (uid !== undefined) {
      trusted ??= qemuUids(users);
      if (!trusted.has(uid)) continue;
    }
    found.push({ pid: p.pid, startTime: p.startTime });
  }
  return found;
}

/** What is left after killQemuProcesses: processes still alive, and those this process may not signal. */
export interface KillOutcome {
  readonly alive: QemuProcess[];
  /** pids whose signal failed with EPERM (no cap_kill, or QEMU under another user without it). */
  readonly denied: number[];
}

/**
 * Ends QEMU processes as `virsh destroy` would: SIGTERM, then SIGKILL after `termGraceMs`, and
 * waits until they are gone or the deadline passes.
 */
export async function killQemuProcesses(processes: readonly QemuProcess[], termGraceMs: number, deadline: Deadline): Promise<KillOutcome> {
  const denied = new Set<number>();
  const signalAll = (signal: NodeJS.Signals): void => {
    for (const p of processes) if (!hasExited(p) && signalRefused(p.pid, signal)) denied.add(p.pid);
  };
  const alive = (): QemuProcess[] => processes.filter((p) => !hasExited(p));
  signalAll('SIGTERM');
  const termUntil = performance.now() + Math.min(termGraceMs, Math.floor(deadline.remainingMs() / 2));
  while (alive().length > 0 && performance.now() < termUntil) await sleep(50, deadline);
  if (alive().length > 0) signalAll('SIGKILL');
  // A process the kernel will not let us signal does not go: no use waiting for it.
  const mayStillGo = (): boolean => alive().some((p) => !denied.has(p.pid));
  while (mayStillGo() && !deadline.isExpired()) await sleep(50, deadline);
  const left = alive();
  return { alive: left, denied: left.filter((p) => denied.has(p.pid)).map((p) => p.pid) };
}

/** Sends `signal`; true only when the kernel refused it (EPERM). Gone already (ESRCH) is what we wanted. */
function signalRefused(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return false;
  } catch (e) {
    return errnoCode(e) === 'EPERM';
  }
}
