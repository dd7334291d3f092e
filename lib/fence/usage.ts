// SPDX-License-Identifier: Apache-2.0
import { getoptText, sortedOptions } from './getopt-text.js';
import { firstSentence } from '../metadata/xml.js';
import { defaultText } from '../spec/core.js';
import { isFlag, type FenceOptionsSpec } from './option-spec.js';

/** `--help`: fencing.py's layout, one line per option from the same table as everything else. */
export function usageText(name: string, spec: FenceOptionsSpec): string {
  const lines = ['Usage:', `\t${name} [options]`, 'Options:'];
  for (const [key, o] of sortedOptions(spec)) {
    if (o.hidden) continue;
    const left = getoptText(key, o);
    // A secret has no default to show, and its help says where it may come from instead of argv.
    const def = o.default !== undefined && !isFlag(o) && !o.secret ? ` (default: ${defaultText(o)})` : '';
    lines.push(`   ${left.padEnd(30)} ${firstSentence(o.desc)}${def}`);
  }
  lines.push('', 'With no options, the agent reads key=value lines from stdin, as pacemaker-fenced sends them.');
  return `${lines.join('\n')}\n`;
}
