// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { Ocf, OcfError, type ResourceContext } from '../../lib/ocf/index.js';
import type { StateStore } from '../../lib/state/index.js';
import { errnoCode, isAbsentOr, isFiniteNumber, isRecord, isString, messageOf } from '../../lib/unknown/index.js';
import type { VmParams } from './spec.js';

/** Where a resource's domain XML comes from, decided from its parameters alone. */
export interface VmSource {
  /** The local XML file (with seapath=true, the local copy of the XML in RBD). */
  readonly config: string;
  /** `<pool>/system_<vm>` when the XML lives in RBD (seapath=true). */
  readonly systemImage: string | undefined;
}

/** Which domain a resource is: its XML source and the libvirt domain name. */
export interface VmIdentity extends VmSource {
  readonly name: string;
}

/** What start (or an arriving migration) saves for later actions, which may not be able to read the XML. */
export interface VmState {
  readonly name: string;
  readonly uuid?: string | undefined;
  /** When monitors first found libvirt unreachable while QEMU ran (ms since the epoch); cleared once it answers. */
  readonly libvirtUnreachableSince?: number | undefined;
}

export function isVmState(value: unknown): value is VmState {
  return (
    isRecord(value) && isString(value.name) && isAbsentOr(value.uuid, isString) && isAbsentOr(value.libvirtUnreachableSince, isFiniteNumber)
  );
}

/** What every vm hook works on: the resource's XML source, resolved once per action by the kit. */
export type VmContext = ResourceContext<VmSource>;

// vm_manager's convention for the local copy of the XML.
const seapathConfigDir = '/etc/pacemaker';

/**
 * The XML source of a resource. With seapath=true the RBD image is named after the config file up to
 * its first dot, as SEAPATH's VirtualDomain reads it. Throws ERR_CONFIGURED when no XML can be named.
 */
export function vmSourceOf(p: VmParams, instance: string): VmSource {
  const resource = resourceNameOf(instance);
  if (p.config === undefined && !p.seapath)
    throw new OcfError(
      Ocf.ERR_CONFIGURED,
      'parameter config is not set: give the path of the domain XML (or set seapath=true to take it from RBD)',
    );
  const config = p.config ?? `${seapathConfigDir}/${resource}.xml`;
  if (!isAbsolute(config)) throw new OcfError(Ocf.ERR_CONFIGURED, `parameter config must be an absolute path, got '${config}'`);
  if (!p.seapath) return { config, systemImage: undefined };
  const key = imageKeyOf(config);
  if (key === '') throw new OcfError(Ocf.ERR_CONFIGURED, `cannot take a VM name from config '${config}': its file name must be <vm>.xml`);
  return { config, systemImage: `${p.pool}/system_${key}` };
}

/** The resource's name: the instance without its clone suffix (`vm1:0` is vm1). */
export function resourceNameOf(instance: string): string {
  return instance.replace(/:\d+$/, '');
}

/** The VM name SEAPATH derives from the config file name: `/etc/pacemaker/vm1.xml` is vm1. */
export function imageKeyOf(config: string): string {
  return basename(config).split('.')[0] ?? '';
}

/**
 * The domain's `<name>`, read as VirtualDomain reads it (the `<name>` element of `<domain>`), without
 * an XML parser: monitors read it on every call. Undefined when the text names no domain.
 */
export function domainNameIn(text: string): string | undefined {
  // <metadata> may hold other applications' <name> elements, and comments anything.
  const body = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<metadata>[\s\S]*?<\/metadata>/g, '');
  const name = /<domain\b[\s\S]*?<name>\s*([^<]*?)\s*<\/name>/.exec(body)?.[1];
  return name === undefined || name === '' ? undefined : unescapeXml(name);
}

/**
 * The domain a resource manages, for actions after start: the `<name>` of its XML, as stock
 * VirtualDomain takes it. Only when the XML cannot be read does it fall back on the name saved at
 * start, and with seapath=true on the config file name. Throws ERR_INSTALLED when nothing names it.
 */
export function vmIdentityOf(source: VmSource, state: Pick<StateStore, 'load'>): VmIdentity {
  let unreadable: string;
  try {
    const name = domainNameIn(readFileSync(source.config, 'utf8'));
    if (name !== undefined) return { ...source, name };
    unreadable = `config file ${source.config} has no domain <name>`;
  } catch (e) {
    unreadable = `cannot read config file ${source.config}: ${errnoCode(e) ?? messageOf(e)}`;
  }
  const saved = state.load(isVmState)?.name;
  if (saved !== undefined) return { ...source, name: saved };
  if (source.systemImage !== undefined) return { ...source, name: imageKeyOf(source.config) };
  throw new OcfError(Ocf.ERR_INSTALLED, `${unreadable}, so the domain name is unknown on this node`);
}

/** A domain whose name nothing on this node gives: `unknownBecause` says why the name is a guess. */
export interface GuessedIdentity extends VmIdentity {
  readonly unknownBecause?: string | undefined;
}

/**
 * For the actions that must look before they answer (stop, an arriving migration): when neither the
 * XML nor the saved state names the domain, the name it most likely has, the resource's (SEAPATH's
 * vm_manager names the domain after the resource). The node may lack the config file while the guest
 * runs here: migrated in from a node that has it.
 */
export function vmIdentityOrGuess(source: VmSource, state: Pick<StateStore, 'load'>, instance: string): GuessedIdentity {
  try {
    return vmIdentityOf(source, state);
  } catch (e) {
    if (!(e instanceof OcfError) || e.code !== Ocf.ERR_INSTALLED) throw e;
    return { ...source, name: resourceNameOf(instance), unknownBecause: e.reason };
  }
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] ?? '');
}
