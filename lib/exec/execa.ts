// SPDX-License-Identifier: Apache-2.0
type Execa = typeof import('execa').execa;

/** The name of execa's own bundle among the single executable's assets (packaging/build-sea.sh). */
export const execaAsset = 'execa.cjs';

let loaded: Promise<Execa> | undefined;

/**
 * execa, loaded at its first use. In the single executable it is not in the startup snapshot that
 * every agent run deserializes (its 240 KB of source cost a vip monitor, which never runs a program
 * through it, 0.9 ms: bench/README.md) but a separate bundle stored as an asset, compiled here by
 * vip's start and stop, which use it. Elsewhere (tests, plain node) it is imported.
 */
export function loadExeca(): Promise<Execa> {
  loaded ??= fromAsset() ?? import('execa').then((m) => m.execa);
  return loaded;
}

function fromAsset(): Promise<Execa> | undefined {
  const sea = process.getBuiltinModule('node:sea');
  if (!sea.isSea()) return undefined;
  const source = sea.getAsset(execaAsset, 'utf8');
  const module = { exports: {} as { execa?: Execa } };
  const load = process.getBuiltinModule('node:vm').compileFunction(source, ['module', 'exports', 'require'], { filename: execaAsset });
  load(module, module.exports, requireBuiltin);
  const { execa } = module.exports;
  if (typeof execa !== 'function') return Promise.reject(new Error(`the ${execaAsset} asset does not export execa`));
  return Promise.resolve(execa);
}

// The bundle requires only Node's own modules: everything else is inside it.
function requireBuiltin(id: string): unknown {
  const builtin: unknown = process.getBuiltinModule(id);
  if (builtin === undefined) throw new Error(`${execaAsset} requires '${id}', which is not a Node built-in module`);
  return builtin;
}
