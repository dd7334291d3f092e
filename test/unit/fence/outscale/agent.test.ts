// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { runFenceAgent } from '../../../../lib/fence/index.js';
import { fenceOutscale } from '../../../../fence/outscale/index.js';

const run = (argv: string[], stdin = '', env: Record<string, string> = {}) => runFenceAgent(fenceOutscale, { argv, stdin, env });

describe('fence_outscale without network', () => {
  it('refuses the secret key on the command line without echoing it', async () => {
    const r = await run(['-o', 'status', '-n', 'node2', '--access-key', 'AK', '--secret-key', 'SKNEVERSHOWN']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('--secret-key is refused on the command line');
    expect(r.stdout + r.stderr).not.toContain('SKNEVERSHOWN');
  });

  it.each([
    ['action=status\nport=node2\n', 'no Outscale credentials'],
    ['action=status\nport=node2\naccess_key=AK\nsecret_key=SK\nregion=mars-1\n', "unknown region 'mars-1'"],
    ['action=status\nport=i-xyz\naccess_key=AK\nsecret_key=SK\n', "plug 'i-xyz' is not a valid VM ID"],
    ['action=explode\nport=node2\n', "Unrecognised action 'explode'"],
    ['action=validate-all\naccess_key=AK\nsecret_key=SK\nfilter=novalue\n', 'filter must be key=value'],
  ])('bad input %j exits 1 before any network: %s', async (text, message) => {
    const r = await run([], text, { HOME: '/nonexistent' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(message);
  });

  it('validate-all with complete options and no target to read exits 0 without contacting the API', async () => {
    const r = await run([], 'action=validate-all\naccess_key=AK\nsecret_key=SK\nendpoint=http://192.0.2.1:1\ninsecure_http=true\n');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('validate-all refuses a plain http endpoint off loopback without insecure_http', async () => {
    const r = await run([], 'action=validate-all\naccess_key=AK\nsecret_key=SK\nendpoint=http://192.0.2.1:1\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('endpoint http://192.0.2.1:1 is plain HTTP off loopback');
  });
});
