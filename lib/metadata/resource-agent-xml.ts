// SPDX-License-Identifier: Apache-2.0
import type { ActionsSpec } from '../spec/actions.js';
import { defaultText } from '../spec/core.js';
import type { ParamSpec, ParamsSpec } from '../spec/params.js';
import { buildXml, firstSentence, type XmlNode } from './xml.js';

/** What meta-data needs to know about an agent. */
export interface ResourceAgentDescription {
  readonly name: string;
  readonly version: string;
  readonly shortdesc: string;
  readonly longdesc: string;
  readonly params: ParamsSpec;
  readonly actions: ActionsSpec;
}

/** OCF 1.1 meta-data (ra-api.rng) for a resource agent, built from its spec. */
export function resourceAgentXml(agent: ResourceAgentDescription): string {
  const doc: XmlNode = {
    '?xml': { '@_version': '1.0' },
    'resource-agent': {
      '@_name': agent.name,
      '@_version': agent.version,
      version: '1.1',
      longdesc: text(agent.longdesc),
      shortdesc: text(agent.shortdesc),
      parameters: { parameter: Object.entries(agent.params).map(([name, p]) => parameterNode(name, p)) },
      actions: { action: actionNodes(agent.actions) },
    },
  };
  const xml = buildXml(doc, '  ');
  // ocf-tester validates through the DOCTYPE against ra-api-1.dtd, which predates OCF 1.1: declare it
  // only when the meta-data uses nothing the DTD rejects, so both the DTD and the 1.1 RNG accept it.
  return usesOnlyDtdFeatures(agent) ? xml.replace('?>\n', '?>\n<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">\n') : xml;
}

const dtdActions = new Set([
  'start',
  'stop',
  'recover',
  'status',
  'reload',
  'meta-data',
  'verify-all',
  'validate-all',
  'monitor',
  'migrate_to',
  'migrate_from',
  'notify',
  'demote',
  'promote',
]);

function usesOnlyDtdFeatures(agent: ResourceAgentDescription): boolean {
  const params = Object.values(agent.params);
  return (
    params.every((p) => p.uniqueGroup === undefined && !p.reloadable && p.deprecated === undefined && p.contentType !== 'select') &&
    Object.keys(agent.actions).every((a) => dtdActions.has(a))
  );
}

function text(value: string): XmlNode {
  return { '@_lang': 'en', '#text': value };
}

function parameterNode(name: string, p: ParamSpec<unknown>): XmlNode {
  const node: XmlNode = { '@_name': name };
  if (p.uniqueGroup !== undefined) node['@_unique-group'] = p.uniqueGroup;
  if (p.unique) node['@_unique'] = '1';
  node['@_required'] = p.required ? '1' : '0';
  if (p.reloadable) node['@_reloadable'] = '1';
  if (p.deprecated) {
    node.deprecated = {
      ...(p.deprecated.replacedWith?.length ? { 'replaced-with': p.deprecated.replacedWith.map((n) => ({ '@_name': n })) } : {}),
      ...(p.deprecated.desc ? { desc: text(p.deprecated.desc) } : {}),
    };
  }
  node.longdesc = text(p.desc);
  node.shortdesc = text(p.shortdesc ?? firstSentence(p.desc));
  const content: XmlNode = { '@_type': p.contentType };
  if (p.default !== undefined) content['@_default'] = defaultText(p);
  if (p.kind === 'select') content.option = (p.options ?? []).map((v) => ({ '@_value': v }));
  node.content = content;
  return node;
}

function actionNodes(actions: ActionsSpec): XmlNode[] {
  const nodes: XmlNode[] = [];
  for (const [name, a] of Object.entries(actions)) {
    if (a === undefined) continue;
    nodes.push({
      '@_name': name,
      '@_timeout': a.timeout,
      ...(a.interval !== undefined ? { '@_interval': a.interval } : {}),
      ...(a.depth !== undefined ? { '@_depth': String(a.depth) } : {}),
    });
  }
  if (!('validate-all' in actions)) nodes.push({ '@_name': 'validate-all', '@_timeout': '20s' });
  if (!('meta-data' in actions)) nodes.push({ '@_name': 'meta-data', '@_timeout': '5s' });
  return nodes;
}
