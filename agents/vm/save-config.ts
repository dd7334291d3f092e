// SPDX-License-Identifier: Apache-2.0
import { query, which } from '../../lib/exec/index.js';
import type { ResourceContext } from '../../lib/ocf/index.js';
import type { Deadline } from '../../lib/time/index.js';
import { configTextIfReadable, writeConfigFile, xmlMetaKey } from './config-source.js';
import { parseDomainXml } from './domain-xml.js';
import type { VmIdentity } from './identity.js';
import type { Rbd } from './rbd.js';
import type { Virsh } from './virsh.js';
import { messageOf } from '../../lib/unknown/index.js';

/**
 * save_config_on_stop: writes the domain's definition back to config when it changed and is a
 * domain XML (VirtualDomain checks it with virt-xml-validate, which is used when installed), and
 * with seapath=true to the system image's metadata, as SEAPATH's patch does. With `sync`, runs
 * `csync2 -x config` afterwards. Best effort: a failure is a WARNING, never a failed stop.
 */
export async function saveConfig(
  virsh: Virsh,
  vm: VmIdentity,
  rbd: Rbd | undefined,
  sync: boolean,
  ctx: ResourceContext,
  deadline: Deadline,
): Promise<void> {
  try {
    const xml = await virsh.dumpInactiveXml(vm.name, deadline);
    if (xml.trim() === '') return ctx.log.warn(`the definition of ${vm.name} is empty: ${vm.config} is left as it is`);
    parseDomainXml(xml);
    // '-' makes virt-xml-validate copy stdin to a file: given /dev/stdin, a pipe, it says "does not exist".
    if (which('virt-xml-validate') !== undefined) await query(['virt-xml-validate', '-', 'domain'], { deadline, input: xml });
    if (configTextIfReadable(vm.config) === xml) return;
    writeConfigFile(vm.config, xml);
    ctx.log.info(`saved the definition of ${vm.name} to ${vm.config}`);
    if (vm.systemImage !== undefined && rbd !== undefined && /\bpasswd=/.test(xml)) {
      ctx.log.warn(
        `the definition of ${vm.name} holds a password: not saved to ${vm.systemImage}, since rbd would show it in its command line`,
      );
    } else if (vm.systemImage !== undefined && rbd !== undefined) {
      await rbd.setImageMeta(vm.systemImage, xmlMetaKey, xml, deadline);
      ctx.log.info(`saved the definition of ${vm.name} to the '${xmlMetaKey}' metadata of ${vm.systemImage}`);
    }
    if (sync) {
      await query(['csync2', '-x', vm.config], { deadline });
      ctx.log.info(`synchronised ${vm.config} with csync2`);
    }
  } catch (e) {
    ctx.log.warn(`cannot save the definition of ${vm.name} to ${vm.config}: ${messageOf(e)}`);
  }
}
