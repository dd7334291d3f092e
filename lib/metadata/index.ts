// SPDX-License-Identifier: Apache-2.0
export { resourceAgentXml } from './resource-agent-xml.js';
export type { ResourceAgentDescription } from './resource-agent-xml.js';
export { buildXml, firstSentence } from './xml.js';
export type { XmlNode } from './xml.js';
export { paragraphs, paragraphTexts, troffEscape } from './troff.js';
