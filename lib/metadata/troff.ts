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
