// SPDX-License-Identifier: Apache-2.0
// A small parser for the block-style YAML subset the Outscale OpenAPI file is written in (mappings, "- " sequences,
// plain/quoted scalars, |- and >- block scalars, empty [] and {}). Used only to regenerate api-schemas.generated.ts;
// the project has no YAML dependency and the simulator itself never parses YAML.

interface Line {
  /** -1 for a blank line. */
  indent: number;
  text: string;
  /** A "#" line: a comment between nodes, but content inside a block scalar. */
  comment: boolean;
}

export function parseSpecYaml(source: string): unknown {
  const lines: Line[] = [];
  for (const raw of source.replace(/\r\n/g, '\n').split('\n')) {
    if (raw.trim() === '') {
      lines.push({ indent: -1, text: '', comment: false }); // kept for block scalars
      continue;
    }
    if (raw === '---') continue;
    const text = raw.trimStart();
    lines.push({ indent: raw.length - text.length, text, comment: text.startsWith('#') });
  }
  const parser = new Parser(lines);
  return parser.parseDocument();
}

const keyPattern = /^('(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^'"\s][^:]*?)\s*:(?:\s+(.*))?$/;

class Parser {
  private i = 0;
  constructor(private readonly lines: Line[]) {}

  parseDocument(): unknown {
    this.skipBlank();
    if (this.i >= this.lines.length) return null;
    return this.parseBlock(this.lines[this.i]!.indent);
  }

  private skipBlank(): void {
    while (this.i < this.lines.length && (this.lines[this.i]!.indent === -1 || this.lines[this.i]!.comment)) this.i++;
  }

  private peek(): Line | undefined {
    this.skipBlank();
    return this.lines[this.i];
  }

  private parseBlock(indent: number): unknown {
    const line = this.peek()!;
    return isSequenceItem(line.text) ? this.parseSequence(indent) : this.parseMapping(indent);
  }

  private parseSequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (let line = this.peek(); line !== undefined && line.indent === indent && isSequenceItem(line.text); line = this.peek()) {
      const rest = line.text === '-' ? '' : line.text.slice(2).trimStart();
      const restIndent = indent + (line.text.length - rest.length);
      if (rest === '') {
        this.i++;
        const next = this.peek();
        items.push(next !== undefined && next.indent > indent ? this.parseBlock(next.indent) : null);
      } else if (isSequenceItem(rest) || (keyPattern.test(rest) && !isQuotedScalar(rest))) {
        // "- key: value" opens a mapping (or "- - x" a sequence) whose column is that of its first key.
        this.lines[this.i] = { indent: restIndent, text: rest, comment: false };
        items.push(this.parseBlock(restIndent));
      } else {
        this.i++;
        items.push(this.parseScalar(rest, indent));
      }
    }
    return items;
  }

  private parseMapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (let line = this.peek(); line !== undefined && line.indent === indent && !isSequenceItem(line.text); line = this.peek()) {
      const m = keyPattern.exec(line.text);
      if (m === null) throw new Error(`YAML line ${this.i + 1}: expected "key: value", got ${JSON.stringify(line.text)}`);
      const key = String(unquote(m[1]!));
      const value = m[2]?.trim() ?? '';
      this.i++;
      if (value === '') {
        const next = this.peek();
        if (next !== undefined && next.indent > indent) map[key] = this.parseBlock(next.indent);
        else if (next !== undefined && next.indent === indent && isSequenceItem(next.text)) map[key] = this.parseSequence(indent);
        else map[key] = null;
      } else if (/^[|>][+-]?$/.test(value)) {
        map[key] = this.parseBlockScalar(value, indent);
      } else {
        map[key] = this.parseScalar(value, indent);
      }
    }
    return map;
  }

  private parseBlockScalar(header: string, parentIndent: number): string {
    const collected: string[] = [];
    let blockIndent: number | undefined;
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      if (line.indent !== -1 && line.indent <= parentIndent) break;
      if (line.indent === -1) collected.push('');
      else {
        blockIndent ??= line.indent;
        collected.push(' '.repeat(line.indent - blockIndent) + line.text);
      }
      this.i++;
    }
    while (collected.length > 0 && collected.at(-1) === '') collected.pop();
    const text = header.startsWith('>') ? foldLines(collected) : collected.join('\n');
    return header.endsWith('-') ? text : `${text}\n`;
  }

  /** A scalar after "key:" or "- ", plus continuation lines indented deeper than its parent. */
  private parseScalar(first: string, parentIndent: number): unknown {
    const parts = [first];
    for (let line = this.lines[this.i]; line !== undefined; line = this.lines[this.i]) {
      if (line.indent !== -1 && line.indent <= parentIndent) break;
      if (line.indent === -1) {
        const next = this.lines.slice(this.i).find((l) => l.indent !== -1);
        if (next === undefined || next.indent <= parentIndent) break;
        parts.push('\n');
      } else parts.push(line.text);
      this.i++;
    }
    const joined = parts.reduce((acc, p) => (p === '\n' ? `${acc}\n` : acc === '' || acc.endsWith('\n') ? acc + p : `${acc} ${p}`), '');
    return unquote(joined);
  }
}

function isSequenceItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

function isQuotedScalar(text: string): boolean {
  return (
    (text.startsWith("'") && text.endsWith("'") && !/^'(?:[^']|'')*'\s*:/.test(text)) ||
    (text.startsWith('"') && text.endsWith('"') && !/^"(?:[^"\\]|\\.)*"\s*:/.test(text))
  );
}

function foldLines(lines: string[]): string {
  return lines.reduce((acc, l, idx) => (idx === 0 ? l : l === '' ? `${acc}\n` : acc.endsWith('\n') ? acc + l : `${acc} ${l}`), '');
}

function unquote(text: string): unknown {
  const t = text.trim();
  if (t.startsWith("'") && t.endsWith("'") && t.length >= 2)
    return t
      .slice(1, -1)
      .replace(/''/g, "'")
      .replace(/ ?\n ?/g, '\n');
  if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) return JSON.parse(t.replace(/\n/g, '\\n')) as unknown;
  if (t === '[]') return [];
  if (t === '{}') return {};
  if (t.startsWith('[') && t.endsWith(']'))
    return t
      .slice(1, -1)
      .split(',')
      .map((x) => unquote(x));
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null' || t === '~') return null;
  if (/^-?(0|[1-9]\d*)$/.test(t)) return Number(t);
  if (/^-?(0|[1-9]\d*)?\.\d+([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return t;
}
