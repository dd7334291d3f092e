// SPDX-License-Identifier: Apache-2.0
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isRecord } from '../../lib/unknown/index.js';

/** What the agent needs from a libvirt domain XML. */
export interface DomainXml {
  readonly name: string;
  readonly uuid: string | undefined;
  readonly vcpus: number | undefined;
  readonly memoryMiB: number | undefined;
  /** `pool/image` (or `pool/namespace/image`) of every rbd network disk, snapshots dropped. */
  readonly rbdImages: readonly string[];
  /** The rbd images of disks neither `<shareable/>` nor `<readonly/>`: those another host must not hold. */
  readonly exclusiveRbdImages: readonly string[];
  /**
   * Disks neither shareable nor read-only that may be RBD but that the guard does not check:
   * storage-pool volumes and krbd block devices (/dev/rbd*), whose mapping on every node that may run
   * the VM (rbdmap) watches the image from each of them.
   */
  readonly unguardedDisks: readonly string[];
  /** The storage pools of volume disks and the virtual networks of interfaces (start_resources), each once, sorted. */
  readonly storagePools: readonly string[];
  readonly networks: readonly string[];
}

/** Why an XML text is not a usable domain; the caller turns it into an exit reason. */
export class DomainXmlError extends Error {
  override readonly name = 'DomainXmlError';
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (_name, jpath) => jpath === 'domain.devices.disk' || jpath === 'domain.devices.interface',
});

type Node = Record<string, unknown>;

/** Parses a domain XML; throws DomainXmlError when it is not XML or not a domain with a name. */
export function parseDomainXml(text: string): DomainXml {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new DomainXmlError(`not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  const doc = parser.parse(text) as Node;
  const domain = doc.domain;
  if (!isRecord(domain)) throw new DomainXmlError('the root element is not <domain>');
  const name = textOf(domain.name);
  if (name === undefined || name === '') throw new DomainXmlError('<domain> has no <name>');
  // The vCPUs it boots with, as `virsh dominfo`'s CPU(s): current= when set, else the maximum.
  const current = isRecord(domain.vcpu) && typeof domain.vcpu['@_current'] === 'string' ? domain.vcpu['@_current'] : undefined;
  const vcpus = Number(current ?? textOf(domain.vcpu));
  return {
    name,
    uuid: textOf(domain.uuid)?.toLowerCase(),
    vcpus: Number.isInteger(vcpus) && vcpus > 0 ? vcpus : undefined,
    memoryMiB: memoryMiBOf(domain.memory),
    rbdImages: rbdImagesOf(domain.devices),
    exclusiveRbdImages: rbdImagesOf(domain.devices, isExclusive),
    unguardedDisks: unguardedDisksOf(domain.devices),
    storagePools: sourceNames(disksOf(domain.devices), 'volume', 'pool'),
    networks: sourceNames(interfacesOf(domain.devices), 'network', 'network'),
  };
}

/** The `<source attribute=…>` of the devices of `type`, each once, sorted. */
function sourceNames(devices: readonly Node[], type: string, attribute: string): string[] {
  const names = new Set<string>();
  for (const device of devices) {
    const value = device['@_type'] === type && isRecord(device.source) ? device.source[`@_${attribute}`] : undefined;
    if (typeof value === 'string' && value !== '') names.add(value);
  }
  return [...names].sort();
}

function interfacesOf(devices: unknown): Node[] {
  if (!isRecord(devices) || !Array.isArray(devices.interface)) return [];
  return (devices.interface as unknown[]).filter(isRecord);
}

function isExclusive(disk: Node): boolean {
  return !('shareable' in disk) && !('readonly' in disk);
}

function disksOf(devices: unknown): Node[] {
  if (!isRecord(devices) || !Array.isArray(devices.disk)) return [];
  return (devices.disk as unknown[]).filter(isRecord);
}

function rbdImagesOf(devices: unknown, keep: (disk: Node) => boolean = () => true): string[] {
  const images: string[] = [];
  for (const disk of disksOf(devices)) {
    if (!keep(disk)) continue;
    const image = rbdImageOf(disk);
    if (image !== undefined && !images.includes(image)) images.push(image);
  }
  return images;
}

/** `pool/image` (or `pool/namespace/image`) of an rbd network disk. */
function rbdImageOf(disk: Node): string | undefined {
  const source = disk.source;
  if (!isRecord(source)) return undefined;
  let spec: string | undefined;
  if (disk['@_type'] === 'network' && source['@_protocol'] === 'rbd' && typeof source['@_name'] === 'string') spec = source['@_name'];
  const image = spec?.split('@')[0] ?? '';
  const parts = image.split('/');
  return parts.length >= 2 && parts.length <= 3 && parts.every((part) => part !== '') ? image : undefined;
}

function unguardedDisksOf(devices: unknown): string[] {
  const found: string[] = [];
  for (const disk of disksOf(devices)) {
    if (!isExclusive(disk) || rbdImageOf(disk) !== undefined) continue;
    const source = isRecord(disk.source) ? disk.source : {};
    const target = isRecord(disk.target) && typeof disk.target['@_dev'] === 'string' ? ` (${disk.target['@_dev']})` : '';
    const attr = (name: string): string => String(source[`@_${name}`] ?? '?');
    if (disk['@_type'] === 'volume') found.push(`volume ${attr('volume')} of pool ${attr('pool')}${target}`);
    else if (disk['@_type'] === 'block' && attr('dev').startsWith('/dev/rbd')) found.push(`block device ${attr('dev')}${target}`);
    else if (disk['@_type'] === 'network' && source['@_protocol'] === 'rbd') found.push(`rbd disk ${attr('name')}${target}`);
  }
  return found;
}

const bytesPerUnit: Record<string, number> = {
  b: 1,
  bytes: 1,
  kb: 1e3,
  k: 1024,
  kib: 1024,
  mb: 1e6,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1e9,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  tb: 1e12,
  t: 1024 ** 4,
  tib: 1024 ** 4,
};

function memoryMiBOf(memory: unknown): number | undefined {
  const amount = Number(textOf(memory));
  if (!Number.isFinite(amount) || amount <= 0) return undefined;
  const unit = (isRecord(memory) && typeof memory['@_unit'] === 'string' ? memory['@_unit'] : 'KiB').toLowerCase();
  const perUnit = bytesPerUnit[unit];
  return perUnit === undefined ? undefined : Math.round((amount * perUnit) / 1024 ** 2);
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (isRecord(value) && typeof value['#text'] === 'string') return value['#text'].trim();
  if (isRecord(value) && typeof value['#text'] === 'number') return String(value['#text']);
  return undefined;
}
