// SPDX-License-Identifier: Apache-2.0
import { Ocf } from '../ocf/exit-codes.js';
import { OcfError } from '../ocf/ocf-error.js';
import { custom, defaultText, type Declaration, type PresentOf, type ValueSpec, type ValuesOf } from './core.js';
import { ocfIsTrue } from './values.js';

/** What a resource-agent parameter declares besides its type and default: drives validation and meta-data. */
export interface ParamFields {
  /** The meta-data shortdesc, when the first sentence of `desc` is not the right one. */
  readonly shortdesc?: string;
  readonly uniqueGroup?: string;
  /** OCF 1.0's `unique="1"`: deprecated by 1.1 in favour of uniqueGroup, but the only form ra-api-1.dtd (ocf-tester) accepts. */
  readonly unique?: boolean;
  readonly reloadable?: boolean;
  /** Marks a secret: Pacemaker keeps it out of digests and logs, and so does the kit. */
  readonly private?: boolean;
  readonly deprecated?: { readonly replacedWith?: readonly string[]; readonly desc?: string };
}

/** Everything a parameter declares besides its type: drives parsing, validation and meta-data. */
export type ParamOptions<T> = Declaration<T> & ParamFields;

/** One declared parameter. `Present` is true when handlers always get a value (required or defaulted). */
export type ParamSpec<T, Present extends boolean = boolean> = ValueSpec<T, Present> & ParamFields;

export type ParamsSpec = Readonly<Record<string, ParamSpec<unknown>>>;

/** The typed values handlers receive for a params spec. */
export type ParamsOf<S extends ParamsSpec> = ValuesOf<S>;

/**
 * A boolean read exactly as ocf-shellfuncs' ocf_is_true reads it (yes/true/1/on/ja and a few
 * capitalisations are true, anything else false), for stock parameters whose agents never refuse a value.
 */
export function ocfBoolean<const O extends ParamOptions<boolean>>(o: O): ParamSpec<boolean, PresentOf<O>> {
  return custom({ ...o, type: 'boolean', parse: (raw: string) => ({ value: ocfIsTrue(raw).value }) });
}

// Set by Pacemaker or ocf-shellfuncs for every agent, never by users as resource parameters.
const kitParams = /^(CRM_meta_.*|crm_feature_set|trace_ra|trace_dir|trace_file)$/;

/** The `OCF_RESKEY_*` names of `env` that `spec` does not declare: settings that would otherwise be ignored silently. */
export function undeclaredParams(spec: ParamsSpec, env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.keys(env)
    .filter((k) => k.startsWith('OCF_RESKEY_'))
    .map((k) => k.slice('OCF_RESKEY_'.length))
    .filter((name) => !kitParams.test(name) && !Object.hasOwn(spec, name))
    .sort();
}

/** A value that did not parse, replaced by the parameter's default (undefined when it has none). */
export interface SetAside {
  readonly name: string;
  readonly error: string;
  readonly fallback: string | undefined;
}

/**
 * Reads `OCF_RESKEY_<name>` for every declared parameter. An empty value counts as unset, as
 * in the shell agents. Throws OcfError(ERR_CONFIGURED) naming the parameter and the fix, unless
 * `setAside` is given: then a value that does not parse is reported to it and the default used.
 */
export function parseParams<S extends ParamsSpec>(
  spec: S,
  env: Readonly<Record<string, string | undefined>>,
  setAside?: (s: SetAside) => void,
): ParamsOf<S> {
  const values: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(spec)) {
    const raw = env[`OCF_RESKEY_${name}`];
    if (raw === undefined || raw === '') {
      if (p.default !== undefined) values[name] = p.default;
      else if (p.required) throw new OcfError(Ocf.ERR_CONFIGURED, `required parameter ${name} is not set`);
      continue;
    }
    const parsed = p.parse(raw);
    if (!('error' in parsed)) values[name] = parsed.value;
    else if (setAside === undefined || p.required) throw new OcfError(Ocf.ERR_CONFIGURED, `parameter ${name}: ${parsed.error}`);
    else {
      setAside({ name, error: parsed.error, fallback: defaultText(p) });
      if (p.default !== undefined) values[name] = p.default;
    }
  }
  return values as ParamsOf<S>;
}
