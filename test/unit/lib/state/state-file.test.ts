// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateFile } from '../../../../lib/state/index.js';

describe('state files', () => {
  it('keeps each resource instance apart and leaves no temporary file behind', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'state-')), 'nested');
    const a = stateFile(dir, 'ping', 'ping:0');
    const b = stateFile(dir, 'ping', 'ping:1');
    a.save({ score: 1 });
    b.save({ score: 2 });
    expect(a.load()).toEqual({ score: 1 });
    expect(b.load()).toEqual({ score: 2 });
    expect(readdirSync(dir).sort()).toEqual(['seapath-ping-ping:0.json', 'seapath-ping-ping:1.json']);
    a.remove();
    expect(a.exists()).toBe(false);
    expect(b.exists()).toBe(true);
  });
});
