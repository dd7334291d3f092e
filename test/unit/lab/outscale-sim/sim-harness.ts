// SPDX-License-Identifier: Apache-2.0
// Test harness: an in-process simulator on an ephemeral port, and a client that signs like an SDK would.
// The signer here is test code of its own (SigV4, node:crypto), checked by the research vectors through the verifier.
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { parseConfig } from '../../../../lab/outscale-sim/config.js';
import { startServer, type RunningServer } from '../../../../lab/outscale-sim/http/server.js';
import { Simulator } from '../../../../lab/outscale-sim/simulator.js';

export const accessKey = 'AKTEST0000000001';
export const secretKey = 'SKTEST00000000000000000000000000000000001';

export function baseConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    region: 'eu-west-2',
    accounts: [{ accessKey, secretKey }],
    timings: { stopMs: 200, forceStopMs: 50, startMs: 100 },
    vms: [
      { vmId: 'i-0000000a', state: 'running', tags: { Name: 'node1', cluster: 'lab' }, privateIp: '192.0.2.11' },
      { vmId: 'i-0000000b', state: 'running', tags: { Name: 'node2', cluster: 'lab' }, privateIp: '192.0.2.12' },
      { vmId: 'i-0000000c', state: 'stopped', tags: { Name: 'node3', cluster: 'other' } },
      { vmId: 'i-0000000d', state: 'terminated', tags: { Name: 'node2' } },
    ],
    metadata: { instanceId: 'i-0000000a' },
    ...overrides,
  };
}

export interface Harness {
  readonly sim: Simulator;
  readonly server: RunningServer;
  call(operation: string, body: unknown, options?: CallOptions): Promise<Answer>;
  get(path: string): Promise<Answer>;
  post(path: string, body: unknown): Promise<Answer>;
  close(): Promise<void>;
}

export interface CallOptions {
  readonly variant?: 'AWS4' | 'OSC4';
  readonly accessKey?: string;
  readonly secretKey?: string;
  readonly date?: Date;
  readonly rawBody?: string;
  readonly timeoutMs?: number;
}

export interface Answer {
  readonly status: number;
  readonly json: unknown;
  readonly text: string;
}

export async function startHarness(config: unknown = baseConfig()): Promise<Harness> {
  const sim = new Simulator(parseConfig(config));
  const server = await startServer(sim);
  const send = (method: string, path: string, headers: Record<string, string>, body: string, timeoutMs = 5000): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, method, path, headers, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json, text });
        });
      });
      req.on('timeout', () => req.destroy(new Error('client timeout')));
      req.on('error', reject);
      req.end(body);
    });
  return {
    sim,
    server,
    call(operation, body, options = {}) {
      const text = options.rawBody ?? JSON.stringify(body);
      const path = `/api/v1/${operation}`;
      const headers = signedHeaders(`127.0.0.1:${server.port}`, path, text, options);
      return send('POST', path, headers, text, options.timeoutMs);
    },
    get: (path) => send('GET', path, {}, ''),
    post: (path, body) => send('POST', path, { 'Content-Type': 'application/json' }, JSON.stringify(body)),
    close: () => server.close(),
  };
}

function signedHeaders(host: string, path: string, body: string, o: CallOptions): Record<string, string> {
  const variant = o.variant ?? 'OSC4';
  const lower = variant.toLowerCase();
  const dateIso = (o.date ?? new Date())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = dateIso.slice(0, 8);
  const dateHeader = variant === 'OSC4' ? 'x-osc-date' : 'x-amz-date';
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', host, [dateHeader]: dateIso };
  const names = Object.keys(headers).sort();
  const canonical = ['POST', path, '', names.map((n) => `${n}:${headers[n]}\n`).join(''), names.join(';'), sha256(body)].join('\n');
  const scope = `${day}/eu-west-2/api/${lower}_request`;
  const toSign = [`${variant}-HMAC-SHA256`, dateIso, scope, sha256(canonical)].join('\n');
  let key = hmac(`${variant}${o.secretKey ?? secretKey}`, day);
  for (const part of ['eu-west-2', 'api', `${lower}_request`]) key = hmac(key, part);
  const signature = hmac(key, toSign).toString('hex');
  return {
    'Content-Type': headers['content-type']!,
    [variant === 'OSC4' ? 'X-Osc-Date' : 'X-Amz-Date']: dateIso,
    Authorization:
      `${variant}-HMAC-SHA256 Credential=${o.accessKey ?? accessKey}/${scope}, ` +
      `SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function hmac(key: string | Buffer, s: string): Buffer {
  return createHmac('sha256', key).update(s).digest();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls the control API until the VM is in `state`, or fails after timeoutMs. */
export async function waitForState(h: Harness, vmId: string, state: string, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const vms = (await h.get('/_sim/vms')).json as { vmId: string; state: string }[];
    if (vms.find((v) => v.vmId === vmId)?.state === state) return;
    if (Date.now() > until) throw new Error(`${vmId} did not reach ${state} within ${timeoutMs} ms`);
    await sleep(20);
  }
}
