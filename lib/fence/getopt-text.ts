// SPDX-License-Identifier: Apache-2.0
import { isFlag, longName, type FenceOptionSpec, type FenceOptionsSpec } from './option-spec.js';

/** How an option is typed on the command line, as fencing.py prints it: `-n, --plug=[id]`, `-v, --verbose`. */
export function getoptText(key: string, o: FenceOptionSpec<unknown>): string {
  const long = `--${longName(key)}${isFlag(o) ? '' : `=[${o.valueName ?? 'value'}]`}`;
  return o.short ? `-${o.short}, ${long}` : long;
}

/** Options in metadata and help order: fencing.py's (order, key). */
export function sortedOptions(spec: FenceOptionsSpec): Array<[string, FenceOptionSpec<unknown>]> {
  return Object.entries(spec).sort(([ka, a], [kb, b]) => (a.order ?? 2) - (b.order ?? 2) || ka.localeCompare(kb));
}
