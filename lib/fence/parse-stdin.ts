// SPDX-License-Identifier: Apache-2.0

/** One `key=value` pair as read, before the options table gives it a meaning. */
export interface RawOption {
  readonly name: string;
  readonly value: string;
}

/**
 * Reads pacemaker-fenced's stdin the way fencing.py does: one `key=value` per line, surrounding
 * blanks stripped, empty lines and `#` comments skipped, split at the first `=`, one pair of
 * surrounding double quotes removed. Lines without `=` are reported by number only, since
 * their text may be a secret. Unlike fencing.py, blanks around the key are dropped, and so are
 * those after `=` when the key had some before it (`action = off`): fencing.py ignores such a
 * line as an unknown option, and then runs its default action, reboot.
 */
export function parseStdinOptions(text: string): { options: RawOption[]; malformedLines: number[] } {
  const options: RawOption[] = [];
  const malformedLines: number[] = [];
  for (const [index, rawLine] of text.split('\n').entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      malformedLines.push(index + 1);
      continue;
    }
    const rawName = line.slice(0, eq);
    const name = rawName.trim();
    let value = name !== rawName ? line.slice(eq + 1).trimStart() : line.slice(eq + 1);
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name === '') {
      malformedLines.push(index + 1);
      continue;
    }
    options.push({ name, value });
  }
  return { options, malformedLines };
}
