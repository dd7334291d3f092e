// SPDX-License-Identifier: Apache-2.0
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
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
  const ownNet = netNamespaceOf(`${proc}/self`);
  let trusted: ReadonlySet<number> | undefined; // read only once a command line matches: most scans find none
  const found: QemuProcess[] = [];
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = cmdlineOf(`${proc}/${entry}`);
    if (argv === undefined || !matches(argv)) continue;
    const stat = statOf(`${proc}/${entry}`);
    if (stat === undefined || stat.state === 'Z' || stat.state === 'X') continue;
    if (inOtherNetNamespace(ownNet, netNamespaceOf(`${proc}/${entry}`))) continue;
    // An unreadable uid counts as libvirt's, as an unreadable namespace counts as ours: a QEMU missed is a VM run twice.
    const uid = realUidOf(`${proc}/${entry}`);
    if (uid !== undefined) {
      trusted ??= qemuUids(users);
      if (!trusted.has(uid)) continue;
    }
    found.push({ pid: Number(entry), startTime: stat.startTime });
  }
  return found;
}

/** A process has exited (or is a zombie waiting to be reaped, which no longer runs the guest). */
export function hasExited(p: QemuProcess): boolean {
  const stat = statOf(`/proc/${p.pid}`);
  return stat === undefined || stat.state === 'Z' || stat.state === 'X' || stat.startTime !== p.startTime;
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

function cmdlineOf(dir: string): string[] | undefined {
  try {
    const raw = readFileSync(`${dir}/cmdline`, 'utf8');
    return raw === '' ? undefined : raw.replace(/\0$/, '').split('\0');
  } catch {
    return undefined;
  }
}

/** The real uid (the first of status's Uid line): a process can change its effective uid or dumpability, not this. */
function realUidOf(dir: string): number | undefined {
  const m = /^Uid:\s+(\d+)/m.exec(attempt(() => readFileSync(`${dir}/status`, 'utf8')) ?? '');
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

function statOf(dir: string): { state: string; startTime: string } | undefined {
  try {
    const raw = readFileSync(`${dir}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
    const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', startTime: fields[19] ?? '?' };
  } catch {
    return undefined;
  }
}

/**
 * Two ways to name a process's network namespace. `ns/net` needs ptrace rights over the process,
 * which SEAPATH's capability bounding set (no cap_sys_ptrace) lacks for QEMU (not dumpable);
 * `net/dev` does not, and procfs gives each namespace's entries inode numbers of their own.
 */
interface NetNamespace {
  readonly link?: string | undefined;
  readonly devInode?: number | undefined;
}

function netNamespaceOf(dir: string): NetNamespace {
  return { link: attempt(() => readlinkSync(`${dir}/ns/net`)), devInode: attempt(() => statSync(`${dir}/net/dev`).ino) };
}

/** Only a namespace known to differ rules a process out: one that cannot be compared counts as ours. */
function inOtherNetNamespace(own: NetNamespace, other: NetNamespace): boolean {
  if (own.link !== undefined && other.link !== undefined) return own.link !== other.link;
  if (own.devInode !== undefined && other.devInode !== undefined) return own.devInode !== other.devInode;
  return false;
}

function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
