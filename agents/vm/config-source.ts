// SPDX-License-Identifier: Apache-2.0
import { chownSync, lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ExecFailed } from '../../lib/exec/index.js';
import type { Deadline } from '../../lib/time/index.js';
import { Ocf, OcfError } from '../../lib/ocf/index.js';
import { writeFileAtomically } from '../../lib/state/index.js';
import { DomainXmlError, parseDomainXml, type DomainXml } from './domain-xml.js';
import { imageKeyOf, type VmSource } from './identity.js';
import type { ImageMeta, Rbd } from './rbd.js';
import { errnoCode, messageOf } from '../../lib/unknown/index.js';

/** The metadata key of system_<vm> where SEAPATH's vm_manager keeps the domain XML. */
export const xmlMetaKey = 'xml';

/**
 * Copies the domain XML from the metadata of `<pool>/system_<vm>` into the config file and returns
 * it. A missing image or key, or an XML that is not a domain, is a configuration error everywhere
 * (6), and writes nothing; Ceph not answering is 1.
 */
export async function fetchXmlFromRbd(vm: VmSource, rbd: Rbd, deadline: Deadline): Promise<string> {
  const image = vm.systemImage ?? '';
  let meta: ImageMeta;
  try {
    meta = await rbd.imageMeta(image, xmlMetaKey, deadline);
  } catch (e) {
    if (e instanceof ExecFailed && e.timedOut)
      throw new OcfError(
        Ocf.ERR_GENERIC,
        `rbd did not answer in time reading the domain XML of ${image}: is Ceph reachable from this node?`,
        { cause: e },
      );
    if (e instanceof ExecFailed && !e.notFound)
      throw new OcfError(Ocf.ERR_GENERIC, `cannot read the domain XML of ${image}: ${e.message}`, { cause: e });
    throw e;
  }
  if (meta.kind === 'no-pool')
    throw new OcfError(
      Ocf.ERR_CONFIGURED,
      `RBD pool ${image.slice(0, image.lastIndexOf('/'))} of ${image} does not exist: set pool to the pool that holds ` +
        `system_${imageKeyOf(vm.config)}`,
    );
  if (meta.kind === 'no-image')
    throw new OcfError(
      Ocf.ERR_CONFIGURED,
      `RBD image ${image} does not exist: create the VM first (vm_manager), or set pool to the pool that holds ` +
        `system_${imageKeyOf(vm.config)}`,
    );
  if (meta.kind === 'no-key')
    throw new OcfError(
      Ocf.ERR_CONFIGURED,
      `RBD image ${image} has no '${xmlMetaKey}' metadata: store the domain XML with ` +
        `'rbd image-meta set ${image} ${xmlMetaKey} "$(cat vm.xml)"'`,
    );
  // Only a usable XML is cached: a bad one leaves no stray file for later actions to trust.
  domainOf(meta.value, vm);
  writeConfigFile(vm.config, meta.value);
  return meta.value;
}

/** The config file's text; a missing file means this node lacks it (5), as VirtualDomain says. */
export function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT') throw new OcfError(Ocf.ERR_INSTALLED, `config file ${path} does not exist on this node`);
    throw new OcfError(Ocf.ERR_INSTALLED, `cannot read config file ${path}: ${messageOf(e)}`);
  }
}

/**
 * Parses the XML a start will run. An unusable XML in RBD is the same on every node (6); an
 * unusable local file is this node's problem (5), so the VM may still start elsewhere.
 */
export function domainOf(text: string, vm: VmSource): DomainXml {
  try {
    return parseDomainXml(text);
  } catch (e) {
    if (!(e instanceof DomainXmlError)) throw e;
    if (vm.systemImage !== undefined)
      throw new OcfError(
        Ocf.ERR_CONFIGURED,
        `the domain XML in the '${xmlMetaKey}' metadata of ${vm.systemImage} is unusable: ${e.message}`,
      );
    throw new OcfError(Ocf.ERR_INSTALLED, `the domain XML in ${vm.config} is unusable on this node: ${e.message}`);
  }
}

/** The config file's text, or undefined when it cannot be read: for callers to whom the file is optional. */
export function configTextIfReadable(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The UUID in the config file, if it is there and parses; for finding QEMU without libvirt. */
export function uuidFromConfig(path: string): string | undefined {
  const text = configTextIfReadable(path);
  if (text === undefined) return undefined; // only a hint: without it, QEMU is found by the domain name
  try {
    return parseDomainXml(text).uuid;
  } catch {
    return undefined;
  }
}

/**
 * Writes a domain XML to the config file, ending with a newline: a new file gets mode 0600 (it may
 * hold a VNC password), one that exists keeps its mode and owner. A config that is a link (to a file
 * the nodes share) is written where it points, as VirtualDomain's `cat >` does: replacing the link
 * with a file of this node's would let the nodes' copies drift apart. A link is followed only when
 * this process owns it, so that one planted by another user cannot make it write elsewhere.
 */
export function writeConfigFile(path: string, text: string): void {
  const target = linkTarget(path) ?? path;
  const existing = ifExists(() => statSync(target));
  writeFileAtomically(target, text.endsWith('\n') ? text : `${text}\n`, existing ? existing.mode & 0o7777 : 0o600);
  if (existing !== undefined && (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.()))
    chownSync(target, existing.uid, existing.gid);
}

function linkTarget(path: string): string | undefined {
  const link = ifExists(() => lstatSync(path));
  if (link === undefined || !link.isSymbolicLink() || link.uid !== process.getuid?.()) return undefined;
  // A link to a file not there yet (restored after undefine): written where it points.
  return ifExists(() => realpathSync(path)) ?? resolve(dirname(path), readlinkSync(path));
}

/** `read()`, or undefined when the file does not exist. */
function ifExists<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}
