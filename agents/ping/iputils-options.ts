// SPDX-License-Identifier: Apache-2.0
import { Ocf, OcfError } from '../../lib/ocf/index.js';

// iputils ping (20221126) short options that take an argument, in the same token or the next one.
const withArgument = new Set('ceFiIlmMNpQsStTwW'.split(''));

/**
 * Refuses `options` that would give iputils ping a second destination: a word that is neither an
 * option nor an option's argument, such as fping's `-B 1.5` (ping's -B takes no value). ping
 * would then ping that word too, or fail, and every host would count as unreachable. This node's
 * matter (2): with fping installed, another node reads the same options as fping's.
 */
export function checkIputilsOptions(options: readonly string[]): void {
  for (let i = 0; i < options.length; i++) {
    const token = options[i] ?? '';
    if (token === '--' || !token.startsWith('-') || token.length < 2) {
      const before = i > 0 ? ` after ${options[i - 1]}` : '';
      throw new OcfError(
        Ocf.ERR_ARGS,
        `options: '${token}'${before} is not a ping option nor its value; iputils ping (used here: fping is absent or ` +
          'use_fping is false) would take it for a host. Give ping options, or install fping for fping options',
      );
    }
    if (token.startsWith('--')) continue;
    for (let j = 1; j < token.length; j++) {
      if (!withArgument.has(token[j] ?? '')) continue;
      if (j === token.length - 1) i++;
      break;
    }
  }
}
