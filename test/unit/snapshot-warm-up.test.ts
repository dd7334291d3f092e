// SPDX-License-Identifier: Apache-2.0
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resourceAgents } from '../../src/agents.js';
import { warmUp } from '../../src/snapshot-warm-up.js';

describe('warmUp (run while the build takes the startup snapshot)', () => {
  it('completes, and leaves AbortSignal as it found it and nothing written', async () => {
    const { timeout, any } = AbortSignal;
    await warmUp(resourceAgents);
    expect(AbortSignal.timeout).toBe(timeout);
    expect(AbortSignal.any).toBe(any);
    const signal = AbortSignal.timeout(1);
    await new Promise((done) => setTimeout(done, 20));
    expect(signal.aborted).toBe(true);
    expect(existsSync('/nonexistent')).toBe(false);
  });

  it('restores AbortSignal when the monitor fails, and fails the build with it', async () => {
    const { timeout, any } = AbortSignal;
    const vip = resourceAgents.vip;
    if (vip === undefined) throw new Error('no vip agent');
    let loads = 0;
    // Loads for meta-data, then fails to load for the monitor, inside the replaced AbortSignal.
    const flaky = { vip: async () => (++loads === 1 ? vip() : Promise.reject(new Error('vip failed to load'))) };
    await expect(warmUp(flaky)).rejects.toThrow('vip failed to load');
    expect(loads).toBe(2);
    expect(AbortSignal.timeout).toBe(timeout);
    expect(AbortSignal.any).toBe(any);
  });
});
