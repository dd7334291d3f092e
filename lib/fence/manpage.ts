// SPDX-License-Identifier: Apache-2.0
import { getoptText, sortedOptions } from './getopt-text.js';
import { defaultText } from '../spec/core.js';
import { isFlag, type FenceOptionsSpec } from './option-spec.js';
import { fenceActions } from './standard-options.js';
import { paragraphs, troffEscape } from '../metadata/troff.js';

/** What the man page needs to know about an agent. */
export interface ManPageDescription {
  readonly name: string;
  readonly version: string;
  readonly shortdesc: string;
  readonly longdesc: string;
  readonly vendorUrl: string;
  readonly options: FenceOptionsSpec;
  readonly sections?: Readonly<Record<string, string>>;
}

/**
 * `-o manpage`: a section-8 man page in troff, from the options table. (fencing.py prints its
 * metadata XML here and leaves troff to fence2man.xsl at build time; we ship no XSLT step.)
 */
export function manPage(agent: ManPageDescription): string {
  const out: string[] = [
    `.TH ${agent.name.toUpperCase()} 8 "" "${agent.name} ${agent.version}" "System Manager's Manual"`,
    '.SH NAME',
    `${agent.name} \\- ${troffEscape(agent.shortdesc)}`,
    '.SH SYNOPSIS',
    `.B ${agent.name}`,
    '[\\fIOPTIONS\\fR]',
    '.br',
    `.B ${agent.name}`,
    '< key=value lines on stdin',
    '.SH DESCRIPTION',
    ...paragraphs(agent.longdesc),
    `.PP\nVendor: ${troffEscape(agent.vendorUrl)}`,
    '.SH OPTIONS',
  ];
  for (const [key, o] of sortedOptions(agent.options)) {
    if (o.hidden) continue;
    out.push('.TP', `.B ${troffEscape(getoptText(key, o))}`);
    const names = [key, ...(o.aliases ?? [])].join(', ');
    const def = o.default !== undefined && !isFlag(o) ? ` Default: ${defaultText(o)}.` : '';
    out.push(`${troffEscape(o.desc)}${def} On stdin: \\fB${names}\\fR.${o.secret ? ' Never accepted on the command line.' : ''}`);
  }
  out.push('.SH ACTIONS', ...fenceActions.flatMap((a) => ['.TP', `.B ${a}`, actionHelp(a)]));
  out.push('.SH EXIT STATUS', '0 on success, or when status finds the plug on; 1 on any failure; 2 when status finds the plug off.');
  for (const [title, text] of Object.entries(agent.sections ?? {})) out.push(`.SH ${title.toUpperCase()}`, ...paragraphs(text));
  return `${out.join('\n')}\n`;
}

function actionHelp(action: string): string {
  const help: Record<string, string> = {
    on: 'Power the plug on and wait until it is on.',
    off: 'Power the plug off and wait until it is off.',
    reboot: 'Power off and wait, then power on; succeeds once off is confirmed.',
    status: 'Print Status: ON or Status: OFF (exit 0 or 2).',
    list: 'Print one plug,alias line per plug.',
    'list-status': 'Print one plug,alias,on|off line per plug.',
    monitor: 'Check that the device answers with these credentials.',
    metadata: 'Print the XML meta-data.',
    manpage: 'Print this man page.',
    'validate-all': 'Check the options without contacting the device.',
  };
  return troffEscape(help[action] ?? '');
}
