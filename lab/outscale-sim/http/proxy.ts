// SPDX-License-Identifier: Apache-2.0
// The simulator as the HTTP proxy between an agent and the API: CONNECT tunnels (HTTPS) and absolute-form
// requests (plain HTTP), to loopback targets only, each logged (method CONNECT or the forwarded one, with the
// Proxy-Authorization user but never its password). The `proxy` fault "407" refuses everything as a proxy that
// wants other credentials does.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { isLoopback } from './http-io.js';
import type { Simulator } from '../simulator.js';

export interface RunningProxy {
  readonly port: number;
  /** http://127.0.0.1:PORT, as an agent's proxy option or HTTPS_PROXY takes it. */
  readonly url: string;
  close(): Promise<void>;
}

const refusal =
  'HTTP/1.1 407 Proxy Authentication Required\r\n' +
  'Proxy-Authenticate: Basic realm="outscale-sim"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

/**
 * `routes` maps a CONNECT target (host:port, e.g. api.us-east-2.outscale.com:443) to a local port, so a test can
 * use a real API host name without leaving the machine.
 */
export async function startProxy(sim: Simulator, port = 0, routes: Readonly<Record<string, number>> = {}): Promise<RunningProxy> {
  const server: Server = createServer((req, res) => {
    const entry = sim.log.begin(req.method ?? 'GET', req.url ?? '', undefined);
    entry.proxyUser = proxyUser(req);
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      sim.log.finish(entry, 400);
      res.writeHead(400).end();
      return;
    }
    if (refused(sim, req)) {
      sim.log.finish(entry, 407);
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="outscale-sim"' }).end();
      return;
    }
    if (target.protocol !== 'http:' || !isLoopback(target.hostname)) {
      sim.log.finish(entry, 403);
      res.writeHead(403).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = request(
      { host: target.hostname, port: Number(target.port || 80), method: req.method, path: `${target.pathname}${target.search}`, headers },
      (up) => {
        sim.log.finish(entry, up.statusCode ?? 502);
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      sim.log.finish(entry, 502);
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  });
  const tunnels = new Set<Socket>();
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const entry = sim.log.begin('CONNECT', req.url ?? '', undefined);
    entry.proxyUser = proxyUser(req);
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    client.on('error', () => client.destroy());
    if (refused(sim, req)) {
      sim.log.finish(entry, 407);
      client.end(refusal);
      return;
    }
    const routed = routes[req.url ?? ''];
    const m = routed !== undefined ? ([req.url, '127.0.0.1', String(routed)] as const) : /^(.+):(\d+)$/.exec(req.url ?? '');
    const host = m?.[1]?.replace(/^\[|\]$/g, '');
    if (m === null || host === undefined || !isLoopback(host)) {
      sim.log.finish(entry, 403);
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(Number(m[2]), host, () => {
      sim.log.finish(entry, 200);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(upstream);
    upstream.on('close', () => tunnels.delete(upstream));
    upstream.on('error', () => {
      if (entry.status === null) {
        sim.log.finish(entry, 502);
        client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      } else client.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((done) => {
        for (const s of tunnels) s.destroy();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function refused(sim: Simulator, req: IncomingMessage): boolean {
  const rule = sim.faults.proxy;
  if (rule === 'forward') return false;
  if (rule === '407') return true;
  const given = basicCredentials(req);
  return given === undefined || given.user !== rule.user || given.password !== rule.password;
}

function proxyUser(req: IncomingMessage): string | undefined {
  return basicCredentials(req)?.user;
}

function basicCredentials(req: IncomingMessage): { user: string; password: string } | undefined {
  const auth = req.headers['proxy-authorization'];
  const m = typeof auth === 'string' ? /^Basic\s+(\S+)$/i.exec(auth) : null;
  if (m === null) return undefined;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
