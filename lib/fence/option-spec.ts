// SPDX-License-Identifier: Apache-2.0
import { parseBoolean, parseInteger } from '../spec/values.js';

/** The metadata.rng content types a fence option can have. */
export type FenceOptionKind = 'string' | 'second' | 'integer' | 'boolean' | 'select';

/** What an option declares besides its type: drives stdin/argv parsing, --help, metadata, manpage and validation. */
export interface FenceOptionOptions<T> {
  /** One or more sentences: the first is the metadata shortdesc and the --help line; the rest goes to the man page. */
  readonly desc: string;
  /** Single-letter command-line form, e.g. 'n' for -n. */
  readonly short?: string;
  /** The placeholder shown in getopt help, e.g. 'seconds' in --power-timeout=[seconds]. */
  readonly valueName?: string;
  readonly default?: T;
  /** Required for the actions that act on a plug only (see `requiredFor`), or always. */
  readonly required?: boolean;
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
}

/** One declared option. `Present` is true when handlers always get a value (required or defaulted). */
export interface FenceOptionSpec<T, Present extends boolean = boolean> extends FenceOptionOptions<T> {
  readonly kind: FenceOptionKind;
  readonly choices?: readonly string[];
  /** Turns the raw text into a value, or returns an error message (which must not quote a secret). */
  readonly parse: (raw: string) => { value: T } | { error: string };
  /** Phantom field for inference only. */
  readonly __present?: Present;
}

type PresentOf<O> = O extends { required: true } ? true : O extends { default: unknown } ? true : false;

export type FenceOptionsSpec = Readonly<Record<string, FenceOptionSpec<unknown>>>;

/** The typed values an agent receives for an options table. */
export type FenceOptionsOf<S extends FenceOptionsSpec> = {
  readonly [K in keyof S]: S[K] extends FenceOptionSpec<infer T, infer P> ? (P extends true ? T : T | undefined) : never;
};

/** A free-text option. */
export function string<const O extends FenceOptionOptions<string>>(o: O): FenceOptionSpec<string, PresentOf<O>> {
  return { ...o, kind: 'string', parse: (raw) => ({ value: raw }) };
}

/** A duration in seconds (fractions allowed, as fencing.py's "second" type). The value stays in seconds. */
export function second<const O extends FenceOptionOptions<number>>(o: O): FenceOptionSpec<number, PresentOf<O>> {
  return {
    ...o,
    kind: 'second',
    parse: (raw) => {
      const text = raw.trim();
      if (!/^\d+(\.\d+)?$/.test(text)) return { error: `expected a time in seconds, got '${raw}'` };
      return { value: Number(text) };
    },
  };
}

/** A whole number with optional bounds. */
export function integer<const O extends FenceOptionOptions<number> & { min?: number; max?: number }>(
  o: O,
): FenceOptionSpec<number, PresentOf<O>> {
  return {
    ...o,
    kind: 'integer',
    parse: (raw) => parseInteger(raw, o),
  };
}

/**
 * A flag. `skip_race_check=0` means false: fencing.py keeps "0" in its options map, where a
 * presence test reads it as true (the latent bug in fence_aws); here 0/no/off/false are false.
 */
export function boolean<const O extends FenceOptionOptions<boolean>>(o: O): FenceOptionSpec<boolean, true> {
  return {
    default: false,
    ...o,
    kind: 'boolean',
    // A bare flag (`--verbose`, or `verbose` alone on stdin) is true.
    parse: (raw) => (raw.trim() === '' ? { value: true } : parseBoolean(raw)),
  } as FenceOptionSpec<boolean, true>;
}

/** One value out of a fixed list. */
export function select<const V extends string, const O extends FenceOptionOptions<NoInfer<V>>>(
  o: O & { readonly choices: readonly V[] },
): FenceOptionSpec<V, PresentOf<O>> {
  return {
    ...o,
    kind: 'select',
    parse: (raw) => {
      const found = o.choices.find((v) => v === raw.trim());
      return found !== undefined ? { value: found } : { error: `expected one of ${o.choices.join(', ')}, got '${raw}'` };
    },
  };
}

/** The command-line long form of an option key: power_timeout → power-timeout. */
export function longName(key: string): string {
  return key.replaceAll('_', '-');
}

/** The shortdesc: the first sentence of a description ("e.g. x" does not end one). */
export function firstSentence(desc: string): string {
  const m = /^(.+?[.!?])(\s+[A-Z(]|$)/s.exec(desc.trim());
  return (m?.[1] ?? desc).replace(/\.$/, '').trim();
}
