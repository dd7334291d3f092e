// SPDX-License-Identifier: Apache-2.0
import { custom, type Built, type Declaration, type ValueSpec, type ValuesOf } from '../spec/core.js';
import { parseBoolean, type Parsed } from '../spec/values.js';

/** What a fence option declares besides its type and default: drives stdin/argv parsing, --help, metadata and manpage. */
export interface FenceOptionFields {
  /** Single-letter command-line form, e.g. 'n' for -n. */
  readonly short?: string;
  /** The placeholder shown in getopt help, e.g. 'seconds' in --power-timeout=[seconds]. */
  readonly valueName?: string;
  /** Older names still accepted on stdin and argv, listed in metadata with deprecated="1" (e.g. plug's `port`). */
  readonly aliases?: readonly string[];
  /**
   * A secret: never echoed in --help, logs or messages, and refused on the command line because
   * every user of the machine can read a process's argv.
   */
  readonly secret?: boolean;
  /** Sort key in metadata and --help, as in fencing.py (standard options 1, agent options 2+, timings 200). */
  readonly order?: number;
  /**
   * Accepted but not listed in --help, metadata or the man page: `nodename`, which Pacemaker
   * sends to every agent, is read but not declared, as fence_aws and fence_gce do.
   */
  readonly hidden?: boolean;
  /**
   * For a value that only sometimes holds a secret (a proxy URL with a password): true when
   * this one does, and it is then refused on the command line like a `secret` option.
   */
  readonly holdsSecret?: (raw: string) => boolean;
  /**
   * What a value that does not parse becomes, with a warning, instead of failing the run. Only
   * for a setting that must not stop a fencing: fencing.py reads a bad verbose_level as 0.
   */
  readonly invalidBecomes?: string | number | boolean;
}

/** What an option declares besides its type (the required flag applies to the actions that act on a plug only). */
export type FenceOptionOptions<T> = Declaration<T> & FenceOptionFields;

/** One declared option. `Present` is true when handlers always get a value (required or defaulted). */
export type FenceOptionSpec<T, Present extends boolean = boolean> = ValueSpec<T, Present> & FenceOptionFields;

export type FenceOptionsSpec = Readonly<Record<string, FenceOptionSpec<unknown>>>;

/** The typed values an agent receives for an options table. */
export type FenceOptionsOf<S extends FenceOptionsSpec> = ValuesOf<S>;

/** A duration in seconds (fractions allowed, as fencing.py's "second" type). The value stays in seconds. */
export function second<const O extends FenceOptionOptions<number>>(o: O): Built<number, O> {
  return custom<number, O & { type: string }>({
    ...o,
    type: 'second',
    parse: (raw: string) => {
      const text = raw.trim();
      if (!/^\d+(\.\d+)?$/.test(text)) return { error: `expected a time in seconds, got '${raw}'` };
      return { value: Number(text) };
    },
  });
}

/**
 * A flag, false unless given. A bare flag on the command line (`--verbose`) is true; on stdin a
 * flag needs a boolean word, and any other value, an empty one included, leaves it unset with a
 * warning (resolveOptions), as fencing.py does. `skip_race_check=0` means false: fencing.py keeps
 * "0" in its options map, where a presence test reads it as true (the latent bug in fence_aws);
 * here 0/no/off/false are false.
 */
export function flag<const O extends FenceOptionOptions<boolean>>(o: O): Built<boolean, O & { default: boolean }> {
  const parse = (raw: string): Parsed<boolean> => (raw.trim() === '' ? { value: true } : parseBoolean(raw));
  return custom<boolean, O & { default: boolean; type: string }>({ default: false, ...o, type: 'boolean', parse });
}

/** Whether an option takes no value on the command line. */
export function isFlag(o: FenceOptionSpec<unknown>): boolean {
  return o.contentType === 'boolean';
}

/** The command-line long form of an option key: power_timeout → power-timeout. */
export function longName(key: string): string {
  return key.replaceAll('_', '-');
}
