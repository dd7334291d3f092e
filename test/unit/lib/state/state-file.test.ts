// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateFile } from '../../../../lib/state/index.js';
import { isFiniteNumber, isRecord } from '../../../../lib/unknown/index.js';

const isScore = (v: unknown): v is { score: number } => isRecord(v) && isFiniteNumber(v.score);

describe('state files', () => {
  it('keeps each resource instance apart and leaves no temporary file behind', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'state-')), 'nested');
    const a = stateFile(dir, 'ping', 'ping:0');
    const b = stateFile(dir, 'ping', 'ping:1');
    a.save({ score: 1 });
    b.save({ score: 2 });
    expect(a.load(isScore)).toEqual({ score: 1 });
    expect(b.load(isScore)).toEqual({ score: 2 });
    expect(readdirSync(dir).sort()).toEqual(['seapath-ping-ping:0.json', 'seapath-ping-ping:1.json']);
    a.remove();
    expect(a.exists()).toBe(false);
    expect(b.exists()).toBe(true);
  });

  it('reads a file of another shape, or not JSON, as no state, while it still exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const s = stateFile(dir, 'vip', 'vip1');
    for (const text of ['null\n', '{"score":"1"}\n', '[1]\n', '{"score":', '']) {
      writeFileSync(s.path, text);
      expect(s.load(isScore)).toBeUndefined();
      expect(s.exists()).toBe(true);
    }
  });
});
