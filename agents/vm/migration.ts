// SPDX-License-Identifier: Apache-2.0
import { wordsOf } from '../../lib/spec/index.js';
import { migrationTransports } from './spec.js';
import { messageOf } from '../../lib/unknown/index.js';

/** The parameters that say how to reach a migration target. */
export interface MigrationRoute {
  readonly hypervisor: string;
  readonly migration_transport?: string | undefined;
  readonly migration_user?: string | undefined;
  readonly migration_network_suffix?: string | undefined;
  readonly remoteuri?: string | undefined;
  readonly migrateuri?: string | undefined;
  readonly migrateport?: number | undefined;
  readonly migrate_options?: string | undefined;
}

/**
 * A user name that may go in a URI (virt_user, libvirtadmin, john.doe: wider than useradd's default,
 * as LDAP and systemd accept upper case and dots). VirtualDomain's own rule, ^[a-z][-a-z0-9]*$,
 * silently migrates as root instead; this agent uses the user it is given, and says what cannot be
 * one (migrationRouteProblem).
 */
export const migrationUserPattern = /^[A-Za-z_][A-Za-z0-9._-]*\$?$/;

/**
 * What makes these settings unusable for any migration, or undefined. validate-all refuses it (6);
 * start only warns (the VM runs, it cannot migrate); migrate_to fails with it (1: Pacemaker stops
 * and restarts the VM, where 6 would stop it on every node).
 */
export function migrationRouteProblem(route: MigrationRoute): string | undefined {
  // It becomes part of a host name in a URI: anything else would add to the URI (a path, libvirt's ?query parameters).
  const suffix = route.migration_network_suffix;
  if (suffix !== undefined && !/^[A-Za-z0-9.-]*$/.test(suffix))
    return `parameter migration_network_suffix must be part of a host name (letters, digits, '-' and '.'), got '${suffix}'`;
  // remoteuri replaces the URI that migration_transport and migration_user would build: they are unused then.
  if (route.remoteuri !== undefined) return undefined;
  const transport = route.migration_transport;
  if (transport !== undefined && !(migrationTransports as readonly string[]).includes(transport))
    return `parameter migration_transport must be one of ${migrationTransports.join(', ')}, got '${transport}'`;
  if (route.migration_user !== undefined && !migrationUserPattern.test(route.migration_user))
    return `parameter migration_user must be a user name (${migrationUserPattern.source}), got '${route.migration_user}'`;
  try {
    remoteUriFor('target', route);
    return undefined;
  } catch (e) {
    return `parameter hypervisor: ${messageOf(e)}`;
  }
}

/** Appends the migration network suffix to the host part of a node name: `n2.lab` + `-mig` → `n2-mig.lab`. */
export function withNetworkSuffix(node: string, suffix: string | undefined): string {
  if (!suffix) return node;
  const dot = node.indexOf('.');
  return dot < 0 ? `${node}${suffix}` : `${node.slice(0, dot)}${suffix}${node.slice(dot)}`;
}

const uriPattern = /^([A-Za-z0-9-]+)(?:\+([A-Za-z0-9-]+))?:\/\/([^/?#]*)(\/[^?#]*)?/;

/**
 * The libvirt URI of the target host, for `virsh migrate`: `remoteuri` with %n replaced, or the
 * local hypervisor URI pointed at the target, e.g. qemu:///system → qemu+ssh://root@n2/system.
 * The hypervisor's query string (a local socket path, say) does not apply to the target and is dropped.
 */
export function remoteUriFor(targetNode: string, route: MigrationRoute): string {
  if (route.remoteuri) return route.remoteuri.replaceAll('%n', targetNode);
  const m = uriPattern.exec(route.hypervisor);
  if (!m) throw new Error(`hypervisor URI '${route.hypervisor}' is not of the form driver[+transport]://[host]/path`);
  const [, driver, ownTransport, authority = '', path = '/system'] = m;
  const transport = route.migration_transport ?? ownTransport;
  const port = /:(\d+)$/.exec(authority)?.[0] ?? '';
  const user = route.migration_user && migrationUserPattern.test(route.migration_user) ? `${route.migration_user}@` : '';
  const host = withNetworkSuffix(targetNode, route.migration_network_suffix);
  return `${driver}${transport ? `+${transport}` : ''}://${user}${host}${port}${path}`;
}

/**
 * The URI of the memory stream: `migrateuri` with %n replaced by the target node, or
 * tcp://<node><suffix> when a migration network suffix is set; undefined lets libvirt choose
 * (the target's migration_host, or its host name). As in VirtualDomain, %n carries the suffix
 * unless remoteuri is set (stock adds the suffix only while building the remote URI itself).
 */
export function migrateUriFor(targetNode: string, route: MigrationRoute): string | undefined {
  const host = withNetworkSuffix(targetNode, route.migration_network_suffix);
  const percentN = route.remoteuri ? targetNode : host;
  if (route.migrateuri) return route.migrateuri.replaceAll('%n', percentN);
  const fromOptions = splitMigrateOptions(route.migrate_options).migrateUri;
  if (fromOptions !== undefined) return fromOptions.replaceAll('%n', percentN);
  if (!route.migration_network_suffix) return undefined;
  const driver = uriPattern.exec(route.hypervisor)?.[1] ?? '';
  if (driver === 'qemu') return `tcp://${host}${route.migrateport !== undefined ? `:${route.migrateport}` : ''}`;
  if (driver === 'xen') return host;
  return undefined;
}

// Given by the agent itself: repeating them makes virsh fail ("option --live already seen").
const ownOptions = new Set(['--live', '--undefinesource']);

/**
 * migrate_options as VirtualDomain reads them: words split on spaces, with `--migrateuri=<uri>` (or
 * `--migrateuri <uri>`) taken out as the migration URI; %n in it is the target node.
 */
export function splitMigrateOptions(options: string | undefined): { extra: string[]; migrateUri: string | undefined } {
  const words = wordsOf(options);
  const extra: string[] = [];
  let migrateUri: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word.startsWith('--migrateuri=')) migrateUri = word.slice('--migrateuri='.length);
    else if (word === '--migrateuri') migrateUri = words[++i];
    else if (!ownOptions.has(word)) extra.push(word);
  }
  return { extra, migrateUri };
}
