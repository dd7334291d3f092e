// SPDX-License-Identifier: Apache-2.0
// This node's processes, read from /proc: for what an agent must find without asking a daemon.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';

/** A live process; `startTime` tells it apart from a later process that reuses the pid. */
export interface ProcessEntry {
  readonly pid: number;
  readonly startTime: string;
  readonly argv: readonly string[];
}

/**
 * The live processes of this node whose command line `matches` (zombies left out). Processes in
 * another network namespace belong to another node (the lab's nodes share one pid namespace) and
 * are left out too; one whose namespace cannot be read counts as this node's, since what the
 * callers look for (a VM's QEMU, an announcer) must not be missed. Throws when /proc cannot be listed.
 */
export function processesWhere(matches: (argv: readonly string[]) => boolean, proc = '/proc'): ProcessEntry[] {
  const ownNet = netNamespaceOf(`${proc}/self`);
  const found: ProcessEntry[] = [];
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = cmdlineOf(`${proc}/${entry}`);
    if (argv === undefined || !matches(argv)) continue;
    const stat = statOf(`${proc}/${entry}`);
    if (stat === undefined || stat.state === 'Z' || stat.state === 'X') continue;
    if (inOtherNetNamespace(ownNet, netNamespaceOf(`${proc}/${entry}`))) continue;
    found.push({ pid: Number(entry), startTime: stat.startTime, argv });
  }
  return found;
}

/**
 * Every process `pid` started, and theirs, by parent pid: read before `pid` dies, since its orphans
 * then belong to init. Best effort: a process that cannot be read is left out.
 */
export function descendantsOf(pid: number, proc = '/proc'): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync(proc);
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = statOf(`${proc}/${entry}`)?.ppid;
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0; ) {
    const next = children.get(queue.shift() as number) ?? [];
    found.push(...next);
    queue = [...queue, ...next];
  }
  return found;
}

/** A process has exited (or is a zombie waiting to be reaped, which no longer runs anything). */
export function hasExited(p: Pick<ProcessEntry, 'pid' | 'startTime'>, proc = '/proc'): boolean {
  const stat = statOf(`${proc}/${p.pid}`);
  return stat === undefined || stat.state === 'Z' || stat.state === 'X' || stat.startTime !== p.startTime;
}

/** The real uid (the first of status's Uid line): a process can change its effective uid or dumpability, not this. */
export function realUidOf(pid: number, proc = '/proc'): number | undefined {
  const m = /^Uid:\s+(\d+)/m.exec(attempt(() => readFileSync(`${proc}/${pid}/status`, 'utf8')) ?? '');
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

function cmdlineOf(dir: string): string[] | undefined {
  const raw = attempt(() => readFileSync(`${dir}/cmdline`, 'utf8'));
  return raw === undefined || raw === '' ? undefined : raw.replace(/\0$/, '').split('\0');
}

function statOf(dir: string): { state: string; ppid: number | undefined; startTime: string } | undefined {
  const raw = attempt(() => readFileSync(`${dir}/stat`, 'utf8'));
  if (raw === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
  const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  return { state: fields[0] ?? '?', ppid: Number.isInteger(ppid) ? ppid : undefined, startTime: fields[19] ?? '?' };
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
