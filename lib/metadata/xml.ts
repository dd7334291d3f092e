// SPDX-License-Identifier: Apache-2.0
import { XMLBuilder } from 'fast-xml-parser';

/** An element for XMLBuilder: `@_name` keys are attributes, `#text` is text content. */
export type XmlNode = Record<string, unknown>;

/** A document as both meta-data formats print it: one element per line, indented by `indentBy`, empty elements closed. */
export function buildXml(doc: XmlNode, indentBy: string): string {
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    indentBy,
    suppressEmptyNode: true,
    suppressBooleanAttributes: false,
  });
  return builder.build(doc) as string;
}

/** The shortdesc of a description: its first sentence, without the final dot ("e.g. x" does not end one). */
export function firstSentence(desc: string): string {
  const m = /^(.+?[.!?])(\s+[A-Z(]|$)/s.exec(desc.trim());
  return (m?.[1] ?? desc).replace(/\.$/, '').trim();
}
