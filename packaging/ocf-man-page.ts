// SPDX-License-Identifier: Apache-2.0
import { XMLParser } from 'fast-xml-parser';
import { paragraphs, paragraphTexts, troffEscape } from '../lib/metadata/troff.js';

/** One parameter as an agent's OCF meta-data declares it. */
export interface MetaParameter {
  readonly name: string;
  readonly required: boolean;
  readonly unique: boolean;
  readonly uniqueGroup?: string;
  readonly reloadable: boolean;
  readonly deprecated?: string;
  readonly longdesc: string;
  readonly type: string;
  readonly default?: string;
  readonly options: readonly string[];
}

/** What a man page shows of an agent's OCF meta-data. */
export interface AgentMetaData {
  readonly name: string;
  readonly shortdesc: string;
  readonly longdesc: string;
  readonly parameters: readonly MetaParameter[];
  readonly actions: readonly { readonly name: string; readonly timeout?: string; readonly interval?: string; readonly depth?: string }[];
}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => ['parameter', 'action', 'option', 'replaced-with'].includes(name),
});

/** Reads `<agent> meta-data` output (OCF 1.0 or 1.1). */
export function parseMetaData(xml: string): AgentMetaData {
  const root = node(node(parser.parse(xml) as unknown, 'document')['resource-agent'], 'resource-agent');
  const parameters = list(node(root.parameters ?? {}, 'parameters').parameter).map((p) => parseParameter(node(p, 'parameter')));
  const actions = list(node(root.actions, 'actions').action).map((a) => {
    const n = node(a, 'action');
    return { name: attr(n, 'name') ?? '', timeout: attr(n, 'timeout'), interval: attr(n, 'interval'), depth: attr(n, 'depth') };
  });
  return { name: attr(root, 'name') ?? '', shortdesc: textOf(root.shortdesc), longdesc: textOf(root.longdesc), parameters, actions };
}

function parseParameter(p: Node): MetaParameter {
  const content = node(p.content ?? {}, 'content');
  const deprecated = p.deprecated === undefined ? undefined : deprecationText(p.deprecated);
  return {
    name: attr(p, 'name') ?? '',
    required: attr(p, 'required') === '1',
    unique: attr(p, 'unique') === '1',
    uniqueGroup: attr(p, 'unique-group'),
    reloadable: attr(p, 'reloadable') === '1',
    deprecated,
    longdesc: textOf(p.longdesc),
    type: attr(content, 'type') ?? 'string',
    default: attr(content, 'default'),
    options: list(content.option).map((o) => attr(node(o, 'option'), 'value') ?? ''),
  };
}

function deprecationText(d: unknown): string {
  if (typeof d !== 'object' || d === null) return 'Deprecated.';
  const n = d as Node;
  const replaced = list(n['replaced-with']).map((r) => attr(node(r, 'replaced-with'), 'name'));
  const desc = n.desc === undefined ? '' : ` ${textOf(n.desc)}`;
  return `Deprecated${replaced.length ? `: use ${replaced.join(', ')} instead` : ''}.${desc}`;
}

function node(v: unknown, what: string): Node {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`meta-data: <${what}> is missing or malformed`);
  return v as Node;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

function attr(n: Node, name: string): string | undefined {
  const v = n[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'object' && v !== null && typeof (v as Node)['#text'] === 'string') return ((v as Node)['#text'] as string).trim();
  return '';
}

/** Where the man page comes from, for its title line. */
export interface ManPageSource {
  readonly provider: string;
  readonly source: string;
}

// The wording of Debian resource-agents' ocf_heartbeat_*.7 pages (ra2refentry.xsl).
const actionHelp: Readonly<Record<string, string>> = {
  start: 'Starts the resource.',
  stop: 'Stops the resource.',
  status: 'Performs a status check.',
  monitor: 'Performs a detailed status check.',
  promote: 'Promotes the resource to the promoted role.',
  demote: 'Demotes the resource to the unpromoted role.',
  notify: 'Notifies the resource of events in the cluster.',
  migrate_to: 'Migrates the running resource to another node.',
  migrate_from: 'Completes the migration of the resource on the target node.',
  reload: 'Reloads the resource configuration.',
  'reload-agent': 'Applies changed reloadable parameters without restarting the resource.',
  'meta-data': 'Retrieves resource agent metadata (internal use only).',
  'validate-all': 'Performs a validation of the resource configuration.',
};

/** A section-7 man page in the layout of Debian's ocf_heartbeat_*.7, from the agent's meta-data. */
export function ocfManPage(meta: AgentMetaData, from: ManPageSource): string {
  const page = `ocf_${from.provider}_${meta.name}`;
  const agent = `ocf:${from.provider}:${meta.name}`;
  const out: string[] = [
    `.TH "${page.toUpperCase()}" "7" "" "${troffEscape(from.source)}" "OCF resource agents"`,
    '.nh',
    '.ad l',
    '.SH "NAME"',
    `${troffEscape(page)} \\- ${troffEscape(meta.shortdesc)}`,
    '.SH "SYNOPSIS"',
    `.HP \\w'\\fB${troffEscape(meta.name)}\\fR\\ 'u`,
    `\\fB${troffEscape(meta.name)}\\fR [${meta.actions.map((a) => troffEscape(a.name)).join(' | ')}]`,
    '.SH "DESCRIPTION"',
    ...paragraphs(meta.longdesc),
    '.SH "SUPPORTED PARAMETERS"',
  ];
  for (const p of meta.parameters) {
    out.push('.PP', `\\fB${troffEscape(p.name)}\\fR`, '.RS 4', ...paragraphTexts(p.longdesc).flatMap((t, i) => (i ? ['.sp', t] : [t])));
    if (p.deprecated) out.push('.sp', troffEscape(p.deprecated));
    out.push('.sp', `(${troffEscape(parameterFacts(p))})`, '.RE');
  }
  out.push('.SH "SUPPORTED ACTIONS"', '.PP', 'This resource agent supports the following actions (operations):');
  for (const a of meta.actions) {
    const hints = [
      a.timeout ? `Suggested minimum timeout: ${a.timeout}.` : '',
      a.interval ? `Suggested interval: ${a.interval}.` : '',
    ].filter(Boolean);
    out.push('.PP', `\\fB${troffEscape(a.name)}\\fR`, '.RS 4', troffEscape([actionHelp[a.name] ?? '', ...hints].join(' ').trim()), '.RE');
  }
  const required = meta.parameters.filter((p) => p.required);
  const monitor = meta.actions.find((a) => a.name === 'monitor');
  const monitorOp = (depthName: string): string =>
    monitor
      ? `op monitor ${depthName}="${monitor.depth ?? '0'}" timeout="${monitor.timeout ?? '20s'}" interval="${monitor.interval ?? '10s'}"`
      : '';
  const crm = [
    `primitive p_${meta.name} ${agent}`,
    ...(required.length ? ['  params', ...required.map((p) => `    ${p.name}=\\fI${p.type}\\fR`)] : []),
    ...(monitor ? [`  ${monitorOp('depth')}`] : []),
  ];
  const pcs = [
    `pcs resource create p_${meta.name} ${agent}`,
    ...required.map((p) => `  ${p.name}=\\fI${p.type}\\fR`),
    ...(monitor ? [`  ${monitorOp('OCF_CHECK_LEVEL')}`] : []),
  ];
  out.push(
    '.SH "EXAMPLE CRM SHELL"',
    '.PP',
    `The following is an example configuration for a ${troffEscape(meta.name)} resource using the`,
    '\\fBcrm\\fR(8)',
    'shell:',
    ...example(crm),
  );
  out.push(
    '.SH "EXAMPLE PCS"',
    '.PP',
    `The following is an example configuration for a ${troffEscape(meta.name)} resource using`,
    '\\fBpcs\\fR(8)',
    ...example(pcs),
  );
  out.push(
    '.SH "SEE ALSO"',
    '.PP',
    '\\fBcrm\\fR(8), \\fBcrm_resource\\fR(8), \\fBpcs\\fR(8); the guides in /usr/share/doc/seapath\\-agents/docs/',
    '.SH "AUTHOR"',
    '.PP',
    '\\fBseapath\\-agents contributors\\fR',
  );
  return `${out.join('\n')}\n`;
}

function parameterFacts(p: MetaParameter): string {
  const facts: string[] = [];
  if (p.unique) facts.push('unique');
  if (p.uniqueGroup) facts.push(`unique group: ${p.uniqueGroup}`);
  facts.push(p.required ? 'required' : 'optional');
  if (p.reloadable) facts.push('reloadable');
  facts.push(p.type === 'select' && p.options.length ? `select: ${p.options.join(' | ')}` : p.type);
  facts.push(p.default !== undefined ? `default "${p.default}"` : 'no default');
  return facts.join(', ');
}

function example(lines: readonly string[]): string[] {
  const body = lines.map((l, i) => (i < lines.length - 1 ? `${l} \\e` : l));
  return ['.sp', '.if n \\{\\', '.RS 4', '.\\}', '.nf', ...body, '.fi', '.if n \\{\\', '.RE', '.\\}'];
}
