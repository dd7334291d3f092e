// SPDX-License-Identifier: Apache-2.0
export { resourceAgentXml, firstSentence } from './resource-agent-xml.js';
export type { ResourceAgentDescription } from './resource-agent-xml.js';
