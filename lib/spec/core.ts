// SPDX-License-Identifier: Apache-2.0
// One way to declare a typed value read from text: resource-agent parameters (params.ts) and
// fence-agent options (lib/fence/option-spec.ts) are both tables of these, with their own extra fields.
import { formatDurationMs, parseDurationMs, type DurationUnit } from '../time/index.js';
import { parseBoolean, parseInteger, type Parsed } from './values.js';

/** What every declared value has, whatever reads it. */
export interface Declaration<T> {
  /** One or more sentences; the first is the shortdesc unless the table says otherwise. */
  readonly desc: string;
  readonly required?: boolean;
  readonly default?: T;
}

export type ValueKind = 'string' | 'integer' | 'boolean' | 'select' | 'duration' | 'custom';

/** One declared value. `Present` is true when handlers always get a value (required or defaulted). */
export interface ValueSpec<T, Present extends boolean = boolean> extends Declaration<T> {
  readonly kind: ValueKind;
  /** The type meta-data shows: the kind, except for durations (string) and custom values (declared). */
  readonly contentType: string;
  readonly options?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** Turns the raw text into a value, or returns an error message (which must not quote a secret). */
  readonly parse: (raw: string) => Parsed<T>;
  /** How meta-data, --help and the man page show the default. */
  format?(value: T): string;
  /** Phantom field for inference only. */
  readonly __present?: Present;
}

export type PresentOf<O> = O extends { required: true } ? true : O extends { default: unknown } ? true : false;

export type SpecTable = Readonly<Record<string, ValueSpec<unknown>>>;

/** The typed values a table of specs gives. */
export type ValuesOf<S extends SpecTable> = {
  readonly [K in keyof S]: S[K] extends ValueSpec<infer T, infer P> ? (P extends true ? T : T | undefined) : never;
};

/** The default as text, for meta-data, --help and the man page. */
export function defaultText(spec: ValueSpec<unknown>): string | undefined {
  if (spec.default === undefined) return undefined;
  return spec.format ? spec.format(spec.default) : String(spec.default);
}

/** What a factory returns: the declared fields with their literal types, and the value spec. */
export type Built<T, O> = Omit<O, 'default'> & ValueSpec<T, PresentOf<O>>;

function build<T, O extends Declaration<T>>(
  o: O,
  kind: ValueKind,
  parse: (raw: string) => Parsed<T>,
  contentType: string = kind,
): Built<T, O> {
  return { ...o, kind, contentType, parse } as Built<T, O>;
}

/** Free text. */
export function string<const O extends Declaration<string>>(o: O): Built<string, O> {
  return build(o, 'string', (raw) => ({ value: raw }));
}

/** A whole number with optional bounds. */
export function integer<const O extends Declaration<number> & { readonly min?: number; readonly max?: number }>(o: O): Built<number, O> {
  return build(o, 'integer', (raw) => parseInteger(raw, o));
}

/** A boolean, yes/true/1/on or no/false/0/off in any case; anything else is refused. */
export function boolean<const O extends Declaration<boolean>>(o: O): Built<boolean, O> {
  return build(o, 'boolean', parseBoolean);
}

/** One value out of a fixed list. */
export function select<const V extends string, const O extends Declaration<NoInfer<V>>>(
  o: O & { readonly options: readonly V[] },
): Built<V, O> {
  return build<V, O>(o, 'select', (raw) => {
    const found = o.options.find((v) => v === raw.trim());
    return found !== undefined ? { value: found } : { error: `expected one of ${o.options.join(', ')}, got '${raw}'` };
  });
}

/**
 * A duration as Pacemaker writes them ('5s', '500ms', '2min'), in milliseconds; a bare number is
 * in `unit`. Zero is refused unless `allowZero`. Meta-data shows the type string and the default
 * in seconds (or ms when it is not whole seconds).
 */
export function duration<const O extends Declaration<number> & { readonly unit: DurationUnit; readonly allowZero: boolean }>(
  o: O,
): Built<number, O> {
  return {
    ...build<number, O>(
      o,
      'duration',
      (raw) => {
        const ms = parseDurationMs(raw, o.unit);
        if (ms === undefined) return { error: `expected a duration such as 5, 5s or 500ms, got '${raw}'` };
        if (ms === 0 && !o.allowZero) return { error: `must be longer than 0, got '${raw}'` };
        return { value: ms };
      },
      'string',
    ),
    format: formatDurationMs,
  };
}

/** A value with its own parser; `type` is what meta-data shows (string unless given). */
export function custom<T, const O extends Declaration<T> & { readonly type?: string }>(
  o: O & { readonly parse: (raw: string) => Parsed<T> },
): Built<T, O> {
  return build<T, O>(o, 'custom', o.parse, o.type ?? 'string');
}

/**
 * A declared value with other descriptive fields (a default, a description, flags): for a table
 * that changes one entry of a shared table without restating it. How it parses stays the same.
 */
export function override<B extends ValueSpec<unknown>, const O extends Partial<Declaration<ValueOf<B>>>>(
  base: B,
  changes: O & Unchangeable,
): Omit<B, keyof O> & O {
  return { ...base, ...changes };
}

type ValueOf<B> = B extends ValueSpec<infer T> ? T : never;

/** What decides how a value parses: an override keeps them. */
interface Unchangeable {
  readonly kind?: never;
  readonly contentType?: never;
  readonly parse?: never;
  readonly format?: never;
  readonly options?: never;
  readonly min?: never;
  readonly max?: never;
  readonly unit?: never;
  readonly allowZero?: never;
}
