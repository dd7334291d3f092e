// SPDX-License-Identifier: Apache-2.0
import type { Logger } from '../../lib/log/index.js';
import { ocfIsTrue, wordsOf } from '../../lib/spec/index.js';
import type { PingParams } from './spec.js';

/** The `options` parameter as the words handed to fping or ping. */
export function splitOptions(p: PingParams): string[] {
  return wordsOf(p.options);
}

/** use_fping as ocf_is_true reads it: only a true word is true (use_fping=2 means ping). */
export function useFping(p: PingParams, log?: Logger): boolean {
  const { value, known } = ocfIsTrue(p.use_fping);
  if (!known)
    log?.warn(
      `use_fping '${p.use_fping}' is neither true nor false; ` +
        `read as ${value}, as the stock agent reads it${value ? '' : ': iputils ping is used'}`,
    );
  return value;
}

/** debug in the stock agent's spellings; anything else is warned about and read as false, as there. */
export function debugLevel(text: string, log: Logger): 0 | 1 | 2 {
  const word = text.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(word)) return 1;
  if (['verbose', '2'].includes(word)) return 2;
  if (!['false', '0', 'no'].includes(word)) log.warn(`debug should be true, false or verbose, not '${text}'; using false`);
  return 0;
}
