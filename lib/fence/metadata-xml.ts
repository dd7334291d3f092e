// SPDX-License-Identifier: Apache-2.0
import { getoptText, sortedOptions } from './getopt-text.js';
import { buildXml, firstSentence, type XmlNode } from '../metadata/xml.js';
import { defaultText } from '../spec/core.js';
import { isFlag, type FenceOptionSpec, type FenceOptionsSpec } from './option-spec.js';
import { fenceActions } from './standard-options.js';

/** What fence-agent meta-data needs to know about an agent. */
export interface FenceAgentDescription {
  readonly name: string;
  readonly shortdesc: string;
  readonly longdesc: string;
  readonly vendorUrl: string;
  readonly options: FenceOptionsSpec;
}

/**
 * fence-agents meta-data (valid against metadata.rng), shaped like fencing.py's: an option with
 * an older name is listed twice, the old name with deprecated="1" and the new one with
 * obsoletes="<old>", so Pacemaker and pcs accept both (`port` and `plug`).
 */
export function fenceAgentXml(agent: FenceAgentDescription): string {
  const parameters: XmlNode[] = [];
  for (const [key, o] of sortedOptions(agent.options)) {
    if (o.hidden) continue;
    const alias = o.aliases?.[0];
    parameters.push(parameterNode(key, key, o, alias !== undefined ? { '@_obsoletes': alias } : {}));
    for (const old of o.aliases ?? []) parameters.push(parameterNode(old, key, o, { '@_deprecated': '1' }));
  }
  const doc: XmlNode = {
    '?xml': { '@_version': '1.0' },
    'resource-agent': {
      '@_name': agent.name,
      '@_shortdesc': agent.shortdesc,
      longdesc: agent.longdesc.trim(),
      'vendor-url': agent.vendorUrl,
      parameters: { parameter: parameters },
      // A power agent: `on` is never run automatically (that is for fabric agents' unfencing).
      actions: { action: fenceActions.map((name) => (name === 'on' ? { '@_name': name, '@_automatic': '0' } : { '@_name': name })) },
    },
  };
  return buildXml(doc, '\t');
}

// An old name shares the getopt text of the option that replaced it, as in fencing.py.
function parameterNode(name: string, key: string, o: FenceOptionSpec<unknown>, extra: XmlNode): XmlNode {
  const content: XmlNode = { '@_type': o.contentType };
  if (o.default !== undefined && !(isFlag(o) && o.default === false)) content['@_default'] = defaultText(o);
  if (o.kind === 'select') content.option = (o.options ?? []).map((v) => ({ '@_value': v }));
  return {
    '@_name': name,
    '@_unique': '0',
    '@_required': o.required ? '1' : '0',
    ...extra,
    getopt: { '@_mixed': getoptText(key, o) },
    content,
    shortdesc: { '@_lang': 'en', '#text': firstSentence(o.desc) },
  };
}
