// SPDX-License-Identifier: Apache-2.0
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownAgeMs } from '../../../../lib/proc/index.js';

describe('ownAgeMs', () => {
  it("is this process's age from /proc: its start in ticks against the uptime", () => {
    const proc = mkdtempSync(join(tmpdir(), 'proc-'));
    mkdirSync(join(proc, 'self'));
    // field 22 (starttime) is 4321 ticks: 43.21 s after boot; the command name holds a ') ' to skip
    const fields = ['S', ...Array.from({ length: 18 }, () => '0'), '4321', '0'];
    writeFileSync(join(proc, 'self', 'stat'), `77 (odd) name) ${fields.join(' ')}\n`);
    writeFileSync(join(proc, 'uptime'), '43.71 100.00\n');
    expect(ownAgeMs(proc)).toBe(500);
  });

  it('is 0 when /proc cannot say, and within this process uptime on the real /proc', () => {
    expect(ownAgeMs('/nonexistent')).toBe(0);
    expect(ownAgeMs()).toBeGreaterThanOrEqual(0);
    expect(ownAgeMs()).toBeLessThan(process.uptime() * 1000 + 1000);
  });
});
