// SPDX-License-Identifier: Apache-2.0
import { ExecFailed, lastLines, type Argv, type RunOptions, type RunResult } from '../../lib/exec/index.js';
import type { Deadline } from '../../lib/time/index.js';

/** How a program runs: `query` in the agent, a scripted answer in unit tests. */
export type Exec = (argv: Argv, options: RunOptions) => Promise<RunResult>;

/** A domain's state as libvirt reports it, or why libvirt could not say. */
export type DomainStatus =
  /** running, idle, blocked, paused or in shutdown: the guest exists and QEMU runs. */
  | { readonly kind: 'active'; readonly state: string; readonly reason: string }
  /** shut off, or not defined here. */
  | { readonly kind: 'inactive'; readonly state: string; readonly reason: string }
  /** crashed, pmsuspended, no state or anything new: QEMU's state is not a normal one. */
  | { readonly kind: 'abnormal'; readonly state: string; readonly reason: string }
  /** libvirt did not answer (daemon down, socket refused, call timed out, virsh missing). */
  | { readonly kind: 'unreachable'; readonly detail: string };

const activeStates = new Set(['running', 'idle', 'blocked', 'paused', 'in shutdown']);
const notFound = /failed to get domain|domain not found|no domain with matching/i;
const notDefinedState = 'not defined';

/** libvirt does not know the domain at all: neither running nor defined. */
export function isNotDefined(status: DomainStatus): boolean {
  return status.kind === 'inactive' && status.state === notDefinedState;
}

/** Reads `virsh domstate --reason` output; a missing domain is `inactive`, any other error `unreachable`. */
export function parseDomstate(result: RunResult): DomainStatus {
  if (result.exitCode !== 0) {
    if (notFound.test(result.stderr)) return { kind: 'inactive', state: notDefinedState, reason: '' };
    return { kind: 'unreachable', detail: lastLines(result.stderr, 2) || `virsh exited ${result.exitCode}` };
  }
  const line =
    result.stdout
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  const m = /^(.*?)(?:\s+\((.*)\))?$/.exec(line);
  const state = (m?.[1] ?? '').toLowerCase();
  const reason = (m?.[2] ?? '').toLowerCase();
  if (activeStates.has(state)) return { kind: 'active', state, reason };
  if (state === 'shut off') return { kind: 'inactive', state, reason };
  return { kind: 'abnormal', state: state || 'no answer', reason };
}

/** The job type of `virsh domjobinfo` output (`none`, `unbounded`, `bounded`, …), lower-cased. */
export function parseJobType(stdout: string): string {
  return /^Job type:\s*(\S+)/m.exec(stdout)?.[1]?.toLowerCase() ?? 'none';
}

/** `shut off (destroyed)`: a state for an exit reason. */
export function describeStatus(status: DomainStatus): string {
  if (status.kind === 'unreachable') return `unknown (${status.detail})`;
  return status.reason ? `${status.state} (${status.reason})` : status.state;
}

/** True for a domain that is only arriving here: the incoming side of a live migration (virsh's reason words). */
export function isIncomingMigration(status: DomainStatus): boolean {
  return status.kind === 'active' && status.state === 'paused' && (status.reason === 'migrating' || status.reason === 'starting up');
}

/** The virsh commands the agent runs, each bounded by the deadline it is given. */
export class Virsh {
  constructor(
    readonly uri: string,
    private readonly exec: Exec,
  ) {}

  async domstate(name: string, deadline: Deadline): Promise<DomainStatus> {
    try {
      return parseDomstate(await this.exec(this.argv('domstate', ['--reason'], name), { deadline, env: this.env, okExitCodes: [1] }));
    } catch (e) {
      if (e instanceof ExecFailed)
        return { kind: 'unreachable', detail: e.timedOut ? `virsh domstate got no answer from ${this.uri} in time` : e.message };
      throw e;
    }
  }

  /** Every domain libvirt knows here, running or only defined; undefined when libvirt does not answer. */
  async domainNames(deadline: Deadline): Promise<string[] | undefined> {
    try {
      const r = await this.exec(this.argv('list', ['--all', '--name']), { deadline, env: this.env });
      return r.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
    } catch (e) {
      if (e instanceof ExecFailed) return undefined;
      throw e;
    }
  }

  /** Starts a transient domain from an XML file: libvirt forgets it once it stops, as with VirtualDomain. */
  async create(file: string, deadline: Deadline): Promise<void> {
    await this.exec(this.argv('create', [], file), { deadline, env: this.env });
  }

  /** Asks the guest to power off (ACPI, or `mode`); returns once libvirt has passed the request on. */
  async shutdown(name: string, deadline: Deadline, mode?: string): Promise<void> {
    await this.exec(this.argv('shutdown', mode ? ['--mode', mode] : [], name), { deadline, env: this.env });
  }

  /** The definition libvirt would boot next (`dumpxml --inactive --security-info`), for save_config_on_stop. */
  async dumpInactiveXml(name: string, deadline: Deadline): Promise<string> {
    return (await this.exec(this.argv('dumpxml', ['--inactive', '--security-info'], name), { deadline, env: this.env })).stdout;
  }

  /** Starts a storage pool that is not running, or refreshes one that is (start_resources). */
  async startOrRefreshPool(pool: string, deadline: Deadline): Promise<void> {
    const info = await this.exec(this.argv('pool-info', [], pool), { deadline, env: this.env });
    const running = /^State:\s+running\s*$/m.test(info.stdout);
    await this.exec(this.argv(running ? 'pool-refresh' : 'pool-start', [], pool), { deadline, env: this.env });
  }

  /** Starts a virtual network that is not active (start_resources). */
  async startNetwork(network: string, deadline: Deadline): Promise<void> {
    const info = await this.exec(this.argv('net-info', [], network), { deadline, env: this.env });
    if (!/^Active:\s+yes\s*$/m.test(info.stdout)) await this.exec(this.argv('net-start', [], network), { deadline, env: this.env });
  }

  /** Kills QEMU (libvirt: SIGTERM, then SIGKILL); a domain already off or gone counts as done. */
  async destroy(name: string, deadline: Deadline): Promise<void> {
    const r = await this.exec(this.argv('destroy', [], name), { deadline, env: this.env, okExitCodes: [1] });
    if (r.exitCode !== 0 && !/domain is not running|failed to get domain|domain not found/i.test(r.stderr))
      throw new ExecFailed(this.argv('destroy', [], name), r.exitCode, r.stderr, false);
  }

  /**
   * Forgets a stopped domain's persistent definition, with its managed-save image (RAM that a later
   * start would resume over a disk that moved on) and snapshot metadata; the NVRAM stays, as it does
   * for VirtualDomain's transient domains. A domain already gone counts as done.
   */
  async undefine(name: string, deadline: Deadline): Promise<void> {
    const argv = this.argv('undefine', ['--managed-save', '--snapshots-metadata', '--checkpoints-metadata', '--keep-nvram'], name);
    const r = await this.exec(argv, { deadline, env: this.env, okExitCodes: [1] });
    if (r.exitCode !== 0 && !notFound.test(r.stderr)) throw new ExecFailed(argv, r.exitCode, r.stderr, false);
  }

  /** argv of the live migration, so that the log can show it. */
  migrateArgv(name: string, options: LiveMigration): [string, ...string[]] {
    // Transient on the target, as the domain is here; a persistent one (defined by hand) is undefined here.
    const flags = ['--live', '--undefinesource', ...options.extraOptions];
    if (options.bandwidthMiBs > 0) flags.push('--bandwidth', String(options.bandwidthMiBs));
    if (options.migrateUri !== undefined) flags.push('--migrateuri', options.migrateUri);
    return this.argv('migrate', flags, name, options.remoteUri);
  }

  async migrate(name: string, options: LiveMigration, deadline: Deadline): Promise<void> {
    await this.exec(this.migrateArgv(name, options), { deadline, env: this.env });
  }

  async setMaxDowntime(name: string, ms: number, deadline: Deadline): Promise<void> {
    await this.exec(this.argv('migrate-setmaxdowntime', [], name, String(ms)), { deadline, env: this.env });
  }

  /** True while a job (here: the outgoing migration) runs on the domain. */
  async hasActiveJob(name: string, deadline: Deadline): Promise<boolean> {
    const r = await this.exec(this.argv('domjobinfo', [], name), { deadline, env: this.env });
    return parseJobType(r.stdout) === 'unbounded';
  }

  async abortJob(name: string, deadline: Deadline): Promise<void> {
    await this.exec(this.argv('domjobabort', [], name), { deadline, env: this.env });
  }

  // The URI goes in the environment so that argv[1] is the subcommand, which ExecFailed names.
  // `--` ends the options: a domain, pool or network name may begin with '-' (libvirt allows
  // `--domain=other`), and would otherwise be read as an option naming another domain.
  private argv(subcommand: string, flags: readonly string[], ...positional: string[]): [string, ...string[]] {
    return positional.length === 0 ? ['virsh', subcommand, ...flags] : ['virsh', subcommand, ...flags, '--', ...positional];
  }

  // virsh prefers VIRSH_DEFAULT_CONNECT_URI to LIBVIRT_DEFAULT_URI: one inherited from Pacemaker's
  // environment must not send the agent to another hypervisor.
  private get env(): Record<string, string> {
    return { LIBVIRT_DEFAULT_URI: this.uri, VIRSH_DEFAULT_CONNECT_URI: this.uri };
  }
}

/** How `virsh migrate` moves a domain. */
export interface LiveMigration {
  readonly remoteUri: string;
  readonly migrateUri: string | undefined;
  readonly bandwidthMiBs: number;
  /** migrate_options, without the --migrateuri it may hold. */
  readonly extraOptions: readonly string[];
}
