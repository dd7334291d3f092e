// SPDX-License-Identifier: Apache-2.0
import { Ocf } from '../ocf/exit-codes.js';
import { OcfError } from '../ocf/ocf-error.js';
import { ocfIsTrue, parseBoolean, parseInteger } from './values.js';

/** Everything a parameter declares besides its type: drives parsing, validation and meta-data. */
export interface ParamOptions<T> {
  /** One or more sentences for the meta-data longdesc; the first sentence is the shortdesc unless `shortdesc` is set. */
  readonly desc: string;
  readonly shortdesc?: string;
  readonly required?: boolean;
  readonly default?: T;
  readonly uniqueGroup?: string;
  /** OCF 1.0's `unique="1"`: deprecated by 1.1 in favour of uniqueGroup, but the only form ra-api-1.dtd (ocf-tester) accepts. */
  readonly unique?: boolean;
  readonly reloadable?: boolean;
  /** Marks a secret: Pacemaker keeps it out of digests and logs, and so does the kit. */
  readonly private?: boolean;
  readonly deprecated?: { readonly replacedWith?: readonly string[]; readonly desc?: string };
}

export type ParamKind = 'string' | 'integer' | 'boolean' | 'select';

/** One declared parameter. `Present` is true when handlers always get a value (required or defaulted). */
export interface ParamSpec<T, Present extends boolean = boolean> extends ParamOptions<T> {
  readonly kind: ParamKind;
  readonly options?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** Turns the raw environment string into a value, or returns an error message. */
  readonly parse: (raw: string) => { value: T } | { error: string };
  /** Phantom field for inference only. */
  readonly __present?: Present;
}

type PresentOf<O> = O extends { required: true } ? true : O extends { default: unknown } ? true : false;

export type ParamsSpec = Readonly<Record<string, ParamSpec<unknown>>>;

/** The typed values handlers receive for a params spec. */
export type ParamsOf<S extends ParamsSpec> = {
  readonly [K in keyof S]: S[K] extends ParamSpec<infer T, infer P> ? (P extends true ? T : T | undefined) : never;
};

/**
 * A boolean read exactly as ocf-shellfuncs' ocf_is_true reads it (yes/true/1/on/ja and a few
 * capitalisations are true, anything else false), for stock parameters whose agents never refuse a value.
 */
export function ocfBoolean<const O extends ParamOptions<boolean>>(o: O): ParamSpec<boolean, PresentOf<O>> {
  return { ...o, kind: 'boolean', parse: (raw) => ({ value: ocfIsTrue(raw).value }) };
}

/** A free-text parameter. */
export function string<const O extends ParamOptions<string>>(o: O): ParamSpec<string, PresentOf<O>> {
  return { ...o, kind: 'string', parse: (raw) => ({ value: raw }) };
}

/** An integer parameter with optional bounds. */
export function integer<const O extends ParamOptions<number> & { min?: number; max?: number }>(
  o: O,
): ParamSpec<number, PresentOf<O>> {
  return {
    ...o,
    kind: 'integer',
    parse: (raw) => parseInteger(raw, o),
  };
}

/** A boolean parameter, read the way ocf_is_true reads one (yes/true/1/on, any case). */
export function boolean<const O extends ParamOptions<boolean>>(o: O): ParamSpec<boolean, PresentOf<O>> {
  return {
    ...o,
    kind: 'boolean',
    parse: parseBoolean,
  };
}

/** One value out of a fixed list. */
export function select<const V extends string, const O extends ParamOptions<V> & { options: readonly V[] }>(
  o: O,
): ParamSpec<V, PresentOf<O>> {
  return {
    ...o,
    kind: 'select',
    parse: (raw) => {
      const found = o.options.find((v) => v === raw.trim());
      return found !== undefined
        ? { value: found }
        : { error: `expected one of ${o.options.join(', ')}, got '${raw}'` };
    },
  };
}

/**
 * Reads `OCF_RESKEY_<name>` for every declared parameter. An empty value counts as unset, as
 * in the shell agents. Throws OcfError(ERR_CONFIGURED) naming the parameter and the fix.
 */
export function parseParams<S extends ParamsSpec>(spec: S, env: Readonly<Record<string, string | undefined>>): ParamsOf<S> {
  const values: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(spec)) {
    const raw = env[`OCF_RESKEY_${name}`];
    if (raw === undefined || raw === '') {
      if (p.default !== undefined) values[name] = p.default;
      else if (p.required) throw new OcfError(Ocf.ERR_CONFIGURED, `required parameter ${name} is not set`);
      continue;
    }
    const parsed = p.parse(raw);
    if ('error' in parsed) throw new OcfError(Ocf.ERR_CONFIGURED, `parameter ${name}: ${parsed.error}`);
    values[name] = parsed.value;
  }
  return values as ParamsOf<S>;
}
