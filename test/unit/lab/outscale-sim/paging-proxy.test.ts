// SPDX-License-Identifier: Apache-2.0
// ReadVms paging by default, VMs configured in transitional states, the staleStopped fault and the proxy listener.
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startProxy, type RunningProxy } from '../../../../lab/outscale-sim/http/proxy.js';
import { baseConfig, startHarness, waitForState, type Harness } from './sim-harness.js';

let h: Harness | undefined;
let proxy: RunningProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await h?.close();
  h = proxy = undefined;
});

const vmIds = (json: unknown) => (json as { Vms: { VmId: string }[] }).Vms.map((v) => v.VmId);
const many = Array.from({ length: 105 }, (_, i) => ({ vmId: `i-${(0x100 + i).toString(16).padStart(8, '0')}`, state: 'running' }));

describe('ReadVms paging', () => {
  it('without ResultsPerPage an answer holds 100 VMs and a NextPageToken that leads to the rest', async () => {
    h = await startHarness(baseConfig({ vms: many }));
    const first = await h.call('ReadVms', {});
    expect(vmIds(first.json)).toHaveLength(100);
    const token = (first.json as { NextPageToken?: string }).NextPageToken;
    expect(token).toBeTypeOf('string');
    const second = await h.call('ReadVms', { NextPageToken: token });
    expect(vmIds(second.json)).toHaveLength(5);
    expect((second.json as { NextPageToken?: string }).NextPageToken).toBeUndefined();
  });

  it('paging.maxResultsPerPage caps what one answer holds, whatever the request asks', async () => {
    h = await startHarness(baseConfig({ paging: { defaultResultsPerPage: 2, maxResultsPerPage: 2 } }));
    const answer = await h.call('ReadVms', { ResultsPerPage: 1000 });
    expect(vmIds(answer.json)).toEqual(['i-0000000a', 'i-0000000b']);
    expect((answer.json as { NextPageToken?: string }).NextPageToken).toBeTypeOf('string');
  });
});

describe('transitional states and stale answers', () => {
  it('a VM configured stopping, pending or shutting-down goes on from there', async () => {
    h = await startHarness(
      baseConfig({
        vms: [
          { vmId: 'i-0000000a', state: 'stopping' },
          { vmId: 'i-0000000b', state: 'pending' },
          { vmId: 'i-0000000c', state: 'shutting-down' },
          { vmId: 'i-0000000d', state: 'shutting-down', shutdownBehavior: 'restart' },
        ],
      }),
    );
    await waitForState(h, 'i-0000000a', 'stopped');
    await waitForState(h, 'i-0000000b', 'running');
    await waitForState(h, 'i-0000000c', 'terminated');
    await waitForState(h, 'i-0000000d', 'running');
  });

  it('staleStopped shows a running VM stopped for the next N answers that include it', async () => {
    h = await startHarness();
    expect((await h.post('/_sim/faults', { staleStopped: { 'i-0000000b': 2 } })).status).toBe(200);
    const states = [];
    for (let i = 0; i < 3; i++) {
      const answer = await h.call('ReadVms', { Filters: { VmIds: ['i-0000000b'] } });
      states.push((answer.json as { Vms: { State: string }[] }).Vms[0]?.State);
    }
    expect(states).toEqual(['stopped', 'stopped', 'running']);
    expect(h.sim.fleet.get('i-0000000b')?.state).toBe('running');
  });
});

describe('proxy listener', () => {
  const connectThrough = (port: number, target: string, auth?: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n` +
            `${auth ? `Proxy-Authorization: Basic ${Buffer.from(auth).toString('base64')}\r\n` : ''}\r\n`,
        );
      });
      socket.once('data', (d) => {
        resolve(d.toString('utf8').split('\r\n')[0] ?? '');
        socket.destroy();
      });
      socket.on('error', reject);
    });

  it('tunnels to loopback only, answers 407 under the fault, and checks credentials when told to', async () => {
    h = await startHarness();
    proxy = await startProxy(h.sim);
    expect(await connectThrough(proxy.port, `127.0.0.1:${h.server.port}`)).toBe('HTTP/1.1 200 Connection Established');
    expect(await connectThrough(proxy.port, '192.0.2.1:443')).toBe('HTTP/1.1 403 Forbidden');
    h.sim.setFaults({ proxy: '407' });
    expect(await connectThrough(proxy.port, `127.0.0.1:${h.server.port}`)).toBe('HTTP/1.1 407 Proxy Authentication Required');
    h.sim.setFaults({ proxy: { user: 'u', password: 'p' } });
    expect(await connectThrough(proxy.port, `127.0.0.1:${h.server.port}`, 'u:wrong')).toContain('407');
    expect(await connectThrough(proxy.port, `127.0.0.1:${h.server.port}`, 'u:p')).toContain('200');
    const log = h.sim.log.list().filter((e) => e.method === 'CONNECT');
    expect(log.map((e) => [e.status, e.proxyUser])).toEqual([
      [200, undefined],
      [403, undefined],
      [407, undefined],
      [407, 'u'],
      [200, 'u'],
    ]);
    expect(JSON.stringify(log)).not.toContain('wrong');
  });

  it('forwards an absolute-form request to the API on loopback', async () => {
    h = await startHarness();
    proxy = await startProxy(h.sim);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: proxy!.port, method: 'GET', path: `http://127.0.0.1:${h!.server.port}/latest/meta-data/instance-id` },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    expect(h.sim.log.list().map((e) => e.path)).toEqual([
      `http://127.0.0.1:${h.server.port}/latest/meta-data/instance-id`,
      '/latest/meta-data/instance-id',
    ]);
  });
});
