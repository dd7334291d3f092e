// SPDX-License-Identifier: Apache-2.0
import { isFlag, type FenceOptionsSpec, type FenceOptionSpec } from './option-spec.js';
import type { RawOption } from './parse-stdin.js';

/** Command-line options as read; `names` are already option keys (or their aliases). */
export interface ParsedArgv {
  readonly options: RawOption[];
  readonly errors: string[];
}

/**
 * GNU-style parsing for admins, from the same table as stdin: `--power-timeout=30`,
 * `--power-timeout 30`, `-o off`, `-ooff`, flags `-v`, stacked flags `-vq`, and `--flag=false`.
 * `-` and `_` are interchangeable in long names, as on stdin.
 */
export function parseArgvOptions(argv: readonly string[], spec: FenceOptionsSpec): ParsedArgv {
  const options: RawOption[] = [];
  const errors: string[] = [];
  const byShort = new Map<string, string>();
  for (const [key, o] of Object.entries(spec)) if (o.short) byShort.set(o.short, key);

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    // getopt's end of options: what follows is words, refused as below.
    if (arg === '--') {
      for (let w = i + 1; w < argv.length; w++) errors.push(strayWord(w));
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = (eq < 0 ? arg.slice(2) : arg.slice(2, eq)).replaceAll('-', '_');
      const key = knownName(name, spec);
      if (key === undefined) {
        errors.push(`option --${eq < 0 ? arg.slice(2) : arg.slice(2, eq)} not recognized`);
        continue;
      }
      const takesValue = !isFlagKey(spec, key);
      // `--allow-terminate=` from an empty variable must not switch on what the flag guards (getopt refuses it too).
      if (eq >= 0 && !takesValue && arg.slice(eq + 1).trim() === '')
        errors.push(`option --${arg.slice(2, eq)} has an empty value: give the flag alone, or =true or =false`);
      else if (eq >= 0) options.push({ name, value: arg.slice(eq + 1) });
      else if (!takesValue) options.push({ name, value: 'true' });
      else if (i + 1 < argv.length) options.push({ name, value: argv[++i] ?? '' });
      else errors.push(`option --${arg.slice(2)} requires a value`);
    } else if (arg.startsWith('-') && arg.length > 1 && arg !== '--') {
      // Short options: flags may be stacked (-vq); the first one that takes a value ends the group.
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] ?? '';
        const key = byShort.get(letter);
        if (key === undefined) {
          errors.push(`option -${letter} not recognized`);
          break;
        }
        if (isFlagKey(spec, key)) {
          options.push({ name: key, value: 'true' });
          continue;
        }
        const rest = arg.slice(j + 1);
        if (rest !== '') options.push({ name: key, value: rest });
        else if (i + 1 < argv.length) options.push({ name: key, value: argv[++i] ?? '' });
        else errors.push(`option -${letter} requires a value`);
        break;
      }
    } else {
      // Not quoted: a stray word on a command line may be a pasted secret.
      errors.push(strayWord(i));
    }
  }
  return { options, errors };
}

function strayWord(index: number): string {
  return `unexpected argument in position ${index + 1}: fence agents take options only (see --help)`;
}

/** The option key a name refers to, through aliases (port → plug); undefined when unknown. */
export function knownName(name: string, spec: FenceOptionsSpec): string | undefined {
  const normalized = name.replaceAll('-', '_');
  if (normalized in spec) return normalized;
  for (const [key, o] of Object.entries(spec)) if (o.aliases?.includes(normalized)) return key;
  return undefined;
}

function isFlagKey(spec: FenceOptionsSpec, key: string): boolean {
  const o: FenceOptionSpec<unknown> | undefined = spec[key];
  return o !== undefined && isFlag(o);
}
