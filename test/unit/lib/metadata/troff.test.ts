// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { troffEscape } from '../../../../lib/metadata/troff.js';

describe('troffEscape', () => {
  it('prints a backslash as \\e and a hyphen as \\-', () => {
    expect(troffEscape('C:\\path --opt a-b')).toBe('C:\\epath \\-\\-opt a\\-b');
  });

  it('keeps a line that starts with a dot or a quote from being read as a request, on every line', () => {
    expect(troffEscape(".dot\n'quote\nplain .mid")).toBe("\\&.dot\n\\&'quote\nplain .mid");
  });
});
