// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../lib/log/index.js';
import { Deadline } from '../../../../lib/time/index.js';
import { OutscaleApi } from '../../../../fence/outscale/api.js';
import { Secret } from '../../../../fence/outscale/credentials.js';
import { selfSigned } from './self-signed.js';

const dir = mkdtempSync(join(tmpdir(), 'fo-tls-'));
const servers: Array<http.Server | https.Server> = [];
let cert = '';
let httpsUrl: URL;
let httpUrl: URL;
let proxyUrl: URL;
const proxySaw: string[] = [];
const tunnels: net.Socket[] = [];

const answer = (_req: http.IncomingMessage, res: http.ServerResponse) => {
  _req.resume();
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"Vms":[]}');
};

async function listen<S extends http.Server | https.Server>(server: S): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  const local = selfSigned(dir, '127.0.0.1');
  cert = local.cert;
  httpsUrl = new URL(`https://127.0.0.1:${await listen(https.createServer({ key: local.key, cert }, answer))}/api/v1`);
  httpUrl = new URL(`http://127.0.0.1:${await listen(http.createServer(answer))}/api/v1`);
  // A forward proxy: CONNECT tunnels for HTTPS, absolute-URI requests for HTTP.
  const proxy = http.createServer((req, res) => {
    proxySaw.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const out = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    req.pipe(out);
  });
  proxy.on('connect', (req, socket) => {
    proxySaw.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    tunnels.push(socket as net.Socket);
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    tunnels.push(upstream);
  });
  proxyUrl = new URL(`http://127.0.0.1:${await listen(proxy)}`);
});

afterAll(async () => {
  for (const t of tunnels) t.destroy();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  rmSync(dir, { recursive: true, force: true });
});

const quiet = createLogger({ tag: 'test', debug: false }, { out: () => undefined, err: () => undefined });

function client(endpoint: URL, extra: { proxy?: URL; ca?: string[] } = {}): OutscaleApi {
  return new OutscaleApi(
    {
      endpoint,
      region: 'eu-west-2',
      credentials: { accessKey: 'AK', secretKey: new Secret('SK'), source: 'test' },
      signatureVersion: 'osc4',
      requestTimeoutMs: 2000,
      maxRetries: 3,
      backoff: { baseMs: 10, capMs: 20, jitterMs: 1 },
      ...extra,
    },
    quiet,
  );
}

describe('transport', () => {
  it('verifies TLS: an untrusted certificate fails at once, without retries', async () => {
    const e = (await client(httpsUrl)
      .call('ReadVms', {}, Deadline.after(5000))
      .catch((x: unknown) => x)) as Error & { transient: boolean };
    expect(e.message).toContain('is not trusted');
    expect(e.message).toContain('set ca_file');
    expect(e.transient).toBe(false);
  });

  it('trusts a private CA from ca_file', async () => {
    await expect(client(httpsUrl, { ca: [...tls.rootCertificates, cert] }).call('ReadVms', {}, Deadline.after(5000))).resolves.toEqual({
      Vms: [],
    });
  });

  it('tunnels HTTPS through a proxy with CONNECT, TLS end to end', async () => {
    proxySaw.length = 0;
    await client(httpsUrl, { proxy: proxyUrl, ca: [...tls.rootCertificates, cert] }).call('ReadVms', {}, Deadline.after(5000));
    expect(proxySaw).toEqual([`CONNECT 127.0.0.1:${httpsUrl.port}`]);
  });

  it('sends plain HTTP through a proxy with the absolute URL', async () => {
    proxySaw.length = 0;
    await client(httpUrl, { proxy: proxyUrl }).call('ReadVms', {}, Deadline.after(5000));
    expect(proxySaw).toEqual([`POST ${httpUrl.href}/ReadVms`]);
  });
});
