// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { paragraphs, paragraphTexts, troffEscape } from '../../../../lib/metadata/troff.js';

describe('troffEscape', () => {
  it('prints a backslash as \\e and a hyphen as \\-', () => {
    expect(troffEscape('C:\\path --opt a-b')).toBe('C:\\epath \\-\\-opt a\\-b');
  });

  it('keeps a line that starts with a dot or a quote from being read as a request, on every line', () => {
    expect(troffEscape(".dot\n'quote\nplain .mid")).toBe("\\&.dot\n\\&'quote\nplain .mid");
  });
});

describe('paragraphs', () => {
  it('splits at blank lines, joins each paragraph into one line and escapes it, after a .PP each', () => {
    expect(paragraphs('  First line\n   goes on.\n\n \nSecond -x.\n')).toEqual(['.PP', 'First line goes on.', '.PP', 'Second \\-x.']);
  });

  it('gives empty text no paragraph', () => {
    expect(paragraphs(' \n\n ')).toEqual([]);
    expect(paragraphTexts('')).toEqual([]);
  });

  it('keeps the paragraph texts alone for indented blocks', () => {
    expect(paragraphTexts('a\n\n.b')).toEqual(['a', '\\&.b']);
  });
});
