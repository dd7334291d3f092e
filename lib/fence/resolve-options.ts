// SPDX-License-Identifier: Apache-2.0
import { isFlag, longName, type FenceOptionsOf, type FenceOptionsSpec } from './option-spec.js';
import { knownName } from './parse-argv.js';
import type { RawOption } from './parse-stdin.js';

export type OptionSource = 'stdin' | 'argv';

/** Typed values, plus what was wrong with the input. Errors fail the run; warnings are logged. */
export interface ResolvedOptions<S extends FenceOptionsSpec> {
  readonly values: FenceOptionsOf<S>;
  readonly errors: string[];
  readonly warnings: string[];
}

// fencing.py's words for a flag on stdin (parseBoolean also takes y and n: not here, where fencing.py ignores them).
const stdinFlagWords = new Set(['1', 'yes', 'on', 'true', '0', 'no', 'off', 'false']);

function isBooleanWord(value: string): boolean {
  return stdinFlagWords.has(value.trim().toLowerCase());
}

/**
 * Gives raw pairs their declared types. Unknown names are warnings on stdin (fencing.py ignores
 * them, and Pacemaker sends `nodename` to every agent) and were already errors on argv. The last
 * value of a repeated option wins. Secrets on argv are refused, not just hidden: any user can
 * read a process's command line in /proc.
 */
export function resolveOptions<S extends FenceOptionsSpec>(raw: readonly RawOption[], spec: S, source: OptionSource): ResolvedOptions<S> {
  const values: Record<string, unknown> = {};
  const errors: string[] = [];
  const warnings: string[] = [];

  for (const { name, value } of raw) {
    const key = knownName(name, spec);
    const o = key === undefined ? undefined : spec[key];
    if (key === undefined || o === undefined) {
      warnings.push(`ignoring unknown option '${name}'`);
      continue;
    }
    const secret = o.secret === true || o.holdsSecret?.(value) === true;
    if (secret && source === 'argv') {
      errors.push(
        `--${longName(key)} ${o.secret ? 'is' : 'with a password is'} refused on the command line, where every user can read it: ` +
          `pass ${key}=… on stdin, or use the environment, a configuration file or a ` +
          `${o.secret ? `${key}_file/${key}_script` : `${key}_password_file`} option`,
      );
      continue;
    }
    // fencing.py ignores a flag whose stdin value is not one of its boolean words, an empty one
    // included: `allow_terminate=` must not switch on what it guards.
    if (source === 'stdin' && isFlag(o) && !isBooleanWord(value)) {
      warnings.push(`ignoring ${key}=${value.trim()}: a flag takes 1, yes, on, true, 0, no, off or false; it stays ${String(o.default)}`);
      continue;
    }
    const parsed = o.parse(value);
    if ('error' in parsed && o.invalidBecomes !== undefined) {
      const what = secret ? `the value of ${key}` : `${key}=${value.trim()} (${parsed.error})`;
      warnings.push(`ignoring ${what}: using ${String(o.invalidBecomes)}`);
      values[key] = o.invalidBecomes;
      continue;
    }
    if ('error' in parsed) {
      errors.push(secret ? `${key}: the value is not valid` : `${key}: ${parsed.error}`);
      continue;
    }
    values[key] = parsed.value;
  }
  for (const [key, o] of Object.entries(spec)) if (!(key in values) && o.default !== undefined) values[key] = o.default;
  return { values: values as FenceOptionsOf<S>, errors, warnings };
}
