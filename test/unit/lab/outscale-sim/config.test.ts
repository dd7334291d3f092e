// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../../lab/outscale-sim/config.js';

describe('config parsing', () => {
  it('applies defaults, then global timings, then per-VM timings', () => {
    const config = parseConfig({
      timings: { stopMs: 100 },
      vms: [{ vmId: 'i-0000000a' }, { vmId: 'i-0000000b', state: 'stopped', timings: { startMs: 5 } }],
    });
    expect(config.region).toBe('eu-west-2');
    expect(config.auth).toEqual({
      maxSkewMs: 300_000,
      services: ['api'],
      lockout: { enabled: true, afterFailures: 4, durationMs: 60_000 },
    });
    expect(config.vms[0]).toMatchObject({
      state: 'running',
      shutdownBehavior: 'stop',
      timings: { stopMs: 100, forceStopMs: 1000, startMs: 2000 },
    });
    expect(config.vms[1]).toMatchObject({ state: 'stopped', timings: { stopMs: 100, startMs: 5 } });
  });

  it('loads the example config shipped with the simulator', () => {
    const config = loadConfig(resolve(import.meta.dirname, '../../../../lab/outscale-sim/example-config.json'));
    expect(config.vms.map((v) => v.state)).toEqual(['running', 'running', 'terminated']);
    expect(config.vms[1]!.hooks.onStopped).toEqual(['/bin/true', 'stopped', 'node2']);
  });

  it.each([
    [{ vms: [{ vmId: 'node1' }] }, /config.vms\[0\].vmId: "node1" is not a VM ID/],
    [{ vms: [{ vmId: 'i-0000000a', state: 'off' }] }, /unknown VM state "off"/],
    [{ vms: [{ vmId: 'i-0000000a' }, { vmId: 'i-0000000a' }] }, /duplicate VM ID i-0000000a/],
    [{ vms: [{ vmId: 'i-0000000a', hooks: { onStopped: 'ip netns del x' } }] }, /onStopped: expected an array of strings/],
    [{ vms: [{ vmId: 'i-0000000a', hooks: { onStopped: [] } }] }, /needs at least the program/],
    [{ vms: [{ vmId: 'i-0000000a', tags: { Name: 1 } }] }, /tag values are strings/],
    [{ accounts: [{ accessKey: 'AK' }] }, /config.accounts\[0\].secretKey: is required/],
    [{ timings: { stopMs: -1 } }, /config.timings.stopMs: expected a non-negative number/],
    [{ faults: { hang: 'sometimes' } }, /config.faults.hang/],
    [{ regoin: 'eu-west-2' }, /unknown key "regoin"/],
  ])('refuses %j with a message naming the field', (config, message) => {
    expect(() => parseConfig(config)).toThrow(message);
  });

  it('does not put secret keys in error messages', () => {
    let message = '';
    try {
      parseConfig({ accounts: [{ accessKey: 'AK', secretKey: 'SUPERSECRET', extra: 1 }] });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/unknown key "extra"/);
    expect(message).not.toContain('SUPERSECRET');
  });

  it('reports a file that is not JSON', () => {
    const path = resolve(import.meta.dirname, 'config.test.ts');
    expect(readFileSync(path, 'utf8').length).toBeGreaterThan(0);
    expect(() => loadConfig(path)).toThrow(/not valid JSON/);
  });
});
