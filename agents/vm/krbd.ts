// SPDX-License-Identifier: Apache-2.0
import { readdirSync, readFileSync } from 'node:fs';
import type { ImageHolder } from './rbd.js';

/**
 * This node's kernel rbd clients of `image` (`pool/image` or `pool/ns/image`), from
 * /sys/bus/rbd/devices: a VM on a krbd device /dev/rbd/<pool>/<image> needs the image mapped here,
 * and that mapping watches the image. It is this node's own, not another host holding the image.
 */
export function isOwnKrbdHolder(image: string, holder: ImageHolder, sys = '/sys/bus/rbd/devices'): boolean {
  const [pool, ...rest] = image.split('/');
  const name = rest.at(-1);
  const ns = rest.length === 2 ? rest[0] : '';
  let devices: string[];
  try {
    devices = readdirSync(sys);
  } catch {
    return false; // no krbd here: no mapping of ours
  }
  return devices.some((id) => {
    const read = (attr: string): string | undefined => {
      try {
        return readFileSync(`${sys}/${id}/${attr}`, 'utf8').trim();
      } catch {
        return undefined;
      }
    };
    if (read('pool') !== pool || read('name') !== name || (read('pool_ns') ?? '') !== ns) return false;
    const clientId = read('client_id'); // `client4567`; rbd status says `client.4567`
    return read('client_addr') === holder.address || (clientId !== undefined && clientId.replace(/^client/, 'client.') === holder.client);
  });
}
