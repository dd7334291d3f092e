// SPDX-License-Identifier: Apache-2.0
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { fixedLookup, lookupWithin } from '../../lib/net/index.js';

/** One HTTP exchange, bounded by `signal` (the per-request timeout and the operation's deadline). */
export interface HttpRequest {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  /** http://[user:pass@]host:port. HTTPS goes through a CONNECT tunnel, so TLS stays end to end. */
  readonly proxy?: URL;
  /** Certificate authorities to trust instead of Node's defaults (already including them). */
  readonly ca?: readonly string[];
  /** How long the name of the host connected to (the proxy's, else the URL's) may take to resolve. */
  readonly resolveWithinMs: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

const maxBodyBytes = 16 * 1024 * 1024;

/** A proxy that refused the CONNECT tunnel, with its HTTP status (407: it wants other credentials). */
export class ProxyRefused extends Error {
  override readonly name = 'ProxyRefused';
  constructor(
    readonly proxyHost: string,
    readonly target: string,
    readonly status: number,
  ) {
    super(
      `the proxy ${proxyHost} refused the tunnel to ${target} with HTTP ` +
        `${status}${status === 407 ? ' (Proxy Authentication Required)' : ''}`,
    );
  }
}

/**
 * Node's own lookup runs getaddrinfo on a thread that the process's exit waits for: with a silent
 * DNS server the answer was printed, and the exit came seconds later. The name is resolved in a
 * child killed at the limit (lib/net), as the resource agents do; an address needs no lookup.
 */
async function lookupFor(hostname: string, limitMs: number): Promise<LookupFunction | undefined> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) return undefined;
  const r = await lookupWithin(host, limitMs);
  if ('addresses' in r) return fixedLookup(r.addresses);
  // getent exits 2 both for a name that does not exist and for a DNS server that did not answer:
  // as it cannot tell them apart, either may heal (EAI_AGAIN, retried), rather than fail a fencing
  // at once on a resolver's hiccup.
  const why = r.notFound ? 'getent found no address for it (no such name, or no DNS server answered)' : r.failed;
  throw Object.assign(new Error(why), { code: 'EAI_AGAIN', hostname: host });
}

/**
 * Sends a request with node:http(s). TLS certificates are always verified against Node's
 * bundled CAs plus NODE_EXTRA_CA_CERTS, or the given ones: rejectUnauthorized is set
 * explicitly, so NODE_TLS_REJECT_UNAUTHORIZED=0 in Pacemaker's environment cannot turn the
 * check off. fetch is not used: it has no proxy support in Node 24 without a flag.
 */
export async function sendHttp(r: HttpRequest): Promise<HttpResponse> {
  const isHttps = r.url.protocol === 'https:';
  const port = Number(r.url.port || (isHttps ? 443 : 80));
  const headers: Record<string, string> = { ...r.headers };
  if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));

  const lookup = await lookupFor((r.proxy ?? r.url).hostname, r.resolveWithinMs);
  if (r.proxy && !isHttps) {
    // Plain HTTP through a proxy: the absolute URL goes in the request line.
    const auth = proxyAuthorization(r.proxy);
    return exchange(
      http.request({
        host: r.proxy.hostname,
        port: Number(r.proxy.port || 80),
        method: r.method,
        path: r.url.href,
        headers: { ...headers, ...auth },
        signal: r.signal,
        ...(lookup ? { lookup } : {}),
      }),
      r.body,
    );
  }
  const tunnel = r.proxy ? await openTunnel(r.proxy, r.url.hostname, port, r.signal, lookup) : undefined;
  const options: https.RequestOptions = {
    host: r.url.hostname,
    port,
    method: r.method,
    path: `${r.url.pathname}${r.url.search}`,
    headers,
    signal: r.signal,
    rejectUnauthorized: true,
    ...(r.ca ? { ca: [...r.ca] } : {}),
    ...(lookup && !tunnel ? { lookup } : {}),
    ...(tunnel
      ? {
          createConnection: () =>
            tls.connect({
              socket: tunnel,
              host: r.url.hostname,
              rejectUnauthorized: true,
              ...(isIP(r.url.hostname) ? {} : { servername: r.url.hostname }),
              ...(r.ca ? { ca: [...r.ca] } : {}),
            }),
        }
      : {}),
  };
  return exchange(isHttps ? https.request(options) : http.request(options), r.body);
}

function exchange(req: http.ClientRequest, body: string | undefined): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) req.destroy(new Error(`the answer is larger than ${maxBodyBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(body);
  });
}

function openTunnel(proxy: URL, host: string, port: number, signal: AbortSignal, lookup: LookupFunction | undefined): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: proxy.hostname,
      port: Number(proxy.port || 80),
      ...(lookup ? { lookup } : {}),
      method: 'CONNECT',
      path: `${host}:${port}`,
      headers: { host: `${host}:${port}`, ...proxyAuthorization(proxy) },
      signal,
    });
    req.on('error', reject);
    req.on('connect', (res, socket) => {
      if (res.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(new ProxyRefused(proxy.host, `${host}:${port}`, res.statusCode ?? 0));
    });
    req.end();
  });
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '') return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}
