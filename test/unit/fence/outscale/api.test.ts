// SPDX-License-Identifier: Apache-2.0
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../lib/log/index.js';
import { Deadline } from '../../../../lib/time/index.js';
import { OutscaleApi } from '../../../../fence/outscale/api.js';
import { Secret } from '../../../../fence/outscale/credentials.js';
import { OutscaleApiError } from '../../../../fence/outscale/errors.js';

type Reply = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

/** A scripted HTTP peer: answers request n with replies[n] (the last one repeats). */
async function peer(replies: Reply[]): Promise<{ url: URL; count: () => number }> {
  let n = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => (replies[Math.min(n++, replies.length - 1)] as Reply)(req, res));
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/api/v1`), count: () => n };
}

const json =
  (status: number, body: unknown): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
const throttled = json(429, { Errors: [{ Code: '25', Type: 'ErrorOperationThrottledPerCall', Details: 'Request rate exceeded' }] });
const ok = json(200, { Vms: [], ResponseContext: { RequestId: 'r-1' } });
const silent: Reply = () => undefined;

const quiet = createLogger({ tag: 'test', debug: false }, { out: () => undefined, err: () => undefined });

function client(endpoint: URL, requestTimeoutMs = 2000, maxRetries = 4): OutscaleApi {
  return new OutscaleApi(
    {
      endpoint,
      region: 'eu-west-2',
      credentials: { accessKey: 'AK', secretKey: new Secret('SKSECRETVALUE'), source: 'test' },
      signatureVersion: 'osc4',
      requestTimeoutMs,
      maxRetries,
      backoff: { baseMs: 20, capMs: 100, jitterMs: 5 },
    },
    quiet,
  );
}

describe('API retries', () => {
  it('retries three 429 answers and then succeeds', async () => {
    const p = await peer([throttled, throttled, throttled, ok]);
    await expect(client(p.url).call('ReadVms', {}, Deadline.after(10_000))).resolves.toMatchObject({ Vms: [] });
    expect(p.count()).toBe(4);
  });

  it.each([500, 502, 503])('retries HTTP %i', async (status) => {
    const p = await peer([json(status, { Errors: [{ Code: '6' }] }), ok]);
    await client(p.url).call('ReadVms', {}, Deadline.after(10_000));
    expect(p.count()).toBe(2);
  });

  it.each([401, 403])('never retries HTTP %i, and says why', async (status) => {
    const p = await peer([json(status, { Errors: [{ Code: '1', Type: 'AccessDenied', Details: 'bad signature' }] }), ok]);
    const e = await client(p.url)
      .call('StopVms', { VmIds: ['i-1'] }, Deadline.after(10_000))
      .catch((x: unknown) => x);
    expect(p.count()).toBe(1);
    expect(e).toBeInstanceOf(OutscaleApiError);
    expect((e as Error).message).toContain(`StopVms: HTTP ${status} (AccessDenied, code 1): bad signature`);
    expect((e as Error).message).toContain('not retried');
  });

  it('does not retry a 400 (our mistake)', async () => {
    const p = await peer([json(400, { Errors: [{ Code: '5063', Type: 'InvalidResource' }] }), ok]);
    await expect(client(p.url).call('ReadVms', {}, Deadline.after(10_000))).rejects.toThrow('HTTP 400');
    expect(p.count()).toBe(1);
  });

  it('gives up after api_retries', async () => {
    const p = await peer([throttled]);
    await expect(client(p.url, 2000, 2).call('ReadVms', {}, Deadline.after(10_000))).rejects.toThrow('HTTP 429');
    expect(p.count()).toBe(3);
  });

  it('times out each request on its own and tries again', async () => {
    const p = await peer([silent, ok]);
    const started = Date.now();
    await client(p.url, 300).call('ReadVms', {}, Deadline.after(10_000));
    expect(p.count()).toBe(2);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stops retrying at the deadline with the real error', async () => {
    const p = await peer([silent]);
    const started = Date.now();
    await expect(client(p.url, 300, 20).call('ReadVms', {}, Deadline.after(1000))).rejects.toThrow('request timed out');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('retries a refused connection (network error)', async () => {
    const e = await client(new URL('http://127.0.0.1:9/api/v1'), 300, 1)
      .call('ReadVms', {}, Deadline.after(5000))
      .catch((x: unknown) => x);
    expect((e as Error).message).toContain('cannot reach 127.0.0.1:9: ECONNREFUSED');
  });

  it('keeps the secret out of messages even if the server echoes it', async () => {
    const p = await peer([json(401, { Errors: [{ Details: 'key SKSECRETVALUE is wrong' }] })]);
    const e = (await client(p.url)
      .call('ReadVms', {}, Deadline.after(5000))
      .catch((x: unknown) => x)) as Error;
    expect(e.message).not.toContain('SKSECRETVALUE');
    expect(e.message).toContain('key *** is wrong');
  });

  it('sends a signed JSON POST to <endpoint>/<Action>', async () => {
    let seen: { url?: string; auth?: string; type?: string } = {};
    const p = await peer([
      (req, res) => {
        seen = { url: req.url, auth: req.headers.authorization, type: req.headers['content-type'] };
        ok(req, res);
      },
    ]);
    await client(p.url).call('ReadVms', { ResultsPerPage: 1 }, Deadline.after(5000));
    expect(seen.url).toBe('/api/v1/ReadVms');
    expect(seen.type).toBe('application/json; charset=utf-8');
    expect(seen.auth).toMatch(
      new RegExp(
        String.raw`^OSC4-HMAC-SHA256 Credential=AK/\d{8}/eu-west-2/api/osc4_request, ` +
          'SignedHeaders=content-type;host;x-osc-date, Signature=[0-9a-f]{64}$',
      ),
    );
  });
});
