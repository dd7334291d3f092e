// SPDX-License-Identifier: Apache-2.0

/**
 * Text as troff prints it literally: a backslash starts an escape, '-' is a hyphen unless escaped,
 * and a leading dot or quote starts a request. Used by both man page generators (fence and OCF).
 */
export function troffEscape(text: string): string {
  return text
    .replaceAll('\\', '\\e')
    .replaceAll('-', '\\-')
    .replace(/^([.'])/gm, '\\&$1');
}

/**
 * Text split into paragraphs at blank lines, each paragraph's lines joined with single spaces and
 * escaped: what `.PP`, `.sp` or an indented block holds. Empty text has no paragraph.
 */
export function paragraphTexts(text: string): string[] {
  return text
    .trim()
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== '')
    .map((p) => troffEscape(p.replace(/\s*\n\s*/g, ' ')));
}

/** Text as man page paragraphs: each of its paragraphs (see paragraphTexts) after a `.PP` request. */
export function paragraphs(text: string): string[] {
  return paragraphTexts(text).flatMap((t) => ['.PP', t]);
}
