// SPDX-License-Identifier: Apache-2.0
import type { RawOption } from './parse-stdin.js';

// Keys that can only mean the action: a misspelt one must not leave the default action, reboot, in force.
const actionWords = new Set(['action', 'option', 'operation', 'op', 'o']);

/**
 * stdin with `option=` (FenceAgentAPI's older name of action, which fencing.py no longer reads)
 * read as `action=`. Not declared as an alias: metadata would list it as a required parameter.
 */
export function withOptionAsAction(raw: readonly RawOption[]): RawOption[] {
  return raw.map((o) => (o.name === 'option' ? { name: 'action', value: o.value } : o));
}

/**
 * Why the stdin lines do not name one action unambiguously, or undefined. An unknown key that
 * reads as `action` or its alias `option` (`Action`, `--action`, `o`) is refused, and so
 * are `action` and `option` with different values: either way the action the caller meant is
 * not known, and guessing could power a node off.
 */
export function actionSpellingProblem(raw: readonly RawOption[], isKnown: (name: string) => boolean): string | undefined {
  for (const { name } of raw) {
    const word = name.toLowerCase().replace(/^[-_]+/, '');
    if (actionWords.has(word) && !isKnown(name))
      return `'${name}' is not a recognised spelling of the action: write action=<action> on stdin; nothing was done`;
  }
  const actions = new Set(raw.filter((o) => o.name === 'action' || o.name === 'option').map((o) => o.value.trim().toLowerCase()));
  if (actions.size > 1) return `stdin names several actions (${[...actions].join(', ')}) in action= or option= lines; nothing was done`;
  return undefined;
}
