// SPDX-License-Identifier: Apache-2.0
import { basename, isAbsolute } from 'node:path';
import { Ocf } from '../../lib/ocf/exit-codes.js';
import { OcfError } from '../../lib/ocf/ocf-error.js';
import type { VmParams } from './spec.js';

/** Which VM a resource is, decided from its parameters alone, so monitor never reads the XML. */
export interface VmIdentity {
  /** The libvirt domain name the XML must carry. */
  readonly name: string;
  /** The local XML file. */
  readonly config: string;
  /** `<pool>/system_<vm>` when the XML lives in RBD (seapath=true). */
  readonly systemImage: string | undefined;
}

// vm_manager's convention for the local copy of the XML.
const seapathConfigDir = '/etc/pacemaker';

/**
 * The VM a resource manages. With seapath=true the name is the config file name up to its first
 * dot, as SEAPATH's VirtualDomain reads it; otherwise it is the resource name (clone suffix dropped).
 * Throws ERR_CONFIGURED when the parameters cannot name a VM anywhere.
 */
export function vmIdentityOf(p: VmParams, instance: string): VmIdentity {
  const resource = instance.replace(/:\d+$/, '');
  if (p.config === undefined && !p.seapath)
    throw new OcfError(Ocf.ERR_CONFIGURED, 'parameter config is not set: give the path of the domain XML (or set seapath=true to take it from RBD)');
  const config = p.config ?? `${seapathConfigDir}/${resource}.xml`;
  if (!isAbsolute(config)) throw new OcfError(Ocf.ERR_CONFIGURED, `parameter config must be an absolute path, got '${config}'`);
  const name = p.seapath ? (basename(config).split('.')[0] ?? '') : resource;
  if (name === '') throw new OcfError(Ocf.ERR_CONFIGURED, `cannot take a VM name from config '${config}': its file name must be <vm>.xml`);
  return { name, config, systemImage: p.seapath ? `${p.pool}/system_${name}` : undefined };
}
