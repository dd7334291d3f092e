// SPDX-License-Identifier: Apache-2.0
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from './atomic-file.js';

/** What an agent decided at start and its monitor reads back, so monitor never re-detects. */
export interface StateStore {
  readonly path: string;
  /** The file is there, whatever it holds. */
  exists(): boolean;
  /**
   * What the file holds when `isT` accepts it; undefined when it is absent, not JSON, or of another
   * shape (a file written by another version, or damaged): the agent then acts as without it.
   */
  load<T>(isT: (value: unknown) => value is T): T | undefined;
  save(value: unknown): void;
  remove(): void;
}

/** A JSON file under HA_RSCTMP, named after the agent and the resource instance, written atomically. */
export function stateFile(dir: string, agent: string, instance: string): StateStore {
  const safeInstance = instance.replace(/[^A-Za-z0-9_.:-]/g, '_');
  const path = join(dir, `seapath-${agent}-${safeInstance}.json`);
  return {
    path,
    exists: () => existsSync(path),
    load<T>(isT: (value: unknown) => value is T): T | undefined {
      const value = load();
      return isT(value) ? value : undefined;
    },
    save(value: unknown) {
      writeFileAtomically(path, `${JSON.stringify(value)}\n`);
    },
    remove() {
      rmSync(path, { force: true });
    },
  };

  function load(): unknown {
    // Probes on nodes that never ran the resource find no file: no ENOENT error to build for them.
    if (!existsSync(path)) return undefined;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as unknown;
    } catch {
      return undefined;
    }
  }
}
