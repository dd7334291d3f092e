// SPDX-License-Identifier: Apache-2.0
// fence_outscale's network conventions against the simulator served over HTTPS (a certificate made here with
// openssl) and its HTTP proxy listener: certificate checks that the environment cannot turn off, proxies from the
// environment, a proxy password that stays secret, and which failures are retried.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runFenceAgent } from '../../../../lib/fence/index.js';
import { networkErrorHeals } from '../../../../fence/outscale/api.js';
import { fenceOutscale } from '../../../../fence/outscale/index.js';
import { parseConfig } from '../../../../lab/outscale-sim/config.js';
import { startProxy, type RunningProxy } from '../../../../lab/outscale-sim/http/proxy.js';
import { startServer, type RunningServer } from '../../../../lab/outscale-sim/http/server.js';
import { Simulator } from '../../../../lab/outscale-sim/simulator.js';
import { accessKey, baseConfig, secretKey } from '../../lab/outscale-sim/sim-harness.js';
import { useFakeGetent } from '../../lib/net/fake-getent.js';
import { selfSigned } from './self-signed.js';

const dir = mkdtempSync(join(tmpdir(), 'fo-net-'));
let certFile: string;
const proxyPassword = 'PXsecretPass42';
let sim: Simulator;
let tlsServer: RunningServer;
let plainServer: RunningServer;
let proxy: RunningProxy;

beforeAll(async () => {
  const local = selfSigned(dir, '127.0.0.1');
  certFile = local.certFile;
  sim = new Simulator(parseConfig(baseConfig()));
  tlsServer = await startServer(sim, { tls: { cert: local.cert, key: local.key } });
  plainServer = await startServer(sim);
  proxy = await startProxy(sim);
});
afterAll(async () => {
  await Promise.all([tlsServer.close(), plainServer.close(), proxy.close()]);
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  sim.reset();
});

function agent(lines: readonly string[], env: Record<string, string> = {}) {
  const stdin = [
    `access_key=${accessKey}`,
    `secret_key=${secretKey}`,
    'region=eu-west-2',
    'skip_race_check=true',
    'api_retries=2',
    ...lines,
  ].join('\n');
  return runFenceAgent(fenceOutscale, { argv: [], stdin, env: { HOME: '/nonexistent', PCMK_service: 'pacemaker-fenced', ...env } });
}
const methods = () => sim.log.list().map((e) => `${e.method} ${e.operation ?? e.path}`);

describe('TLS', () => {
  it('NODE_TLS_REJECT_UNAUTHORIZED=0 does not turn certificate checks off; ca_file adds the CA that makes it work', async () => {
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const r = await agent(['action=status', 'port=node2', `endpoint=${tlsServer.apiUrl}`], { NODE_TLS_REJECT_UNAUTHORIZED: '0' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('the TLS certificate of 127.0.0.1');
    expect(r.stderr).toContain('is not trusted');
    expect(sim.log.list()).toEqual([]); // nothing reached the API, and an untrusted certificate is not retried
    const ok = await agent(['action=status', 'port=node2', `endpoint=${tlsServer.apiUrl}`, `ca_file=${certFile}`]);
    expect(ok.stdout).toBe('Status: ON\n');
    expect(ok.exitCode).toBe(0);
  });
});

describe('proxies from the environment, as fence_aws (boto3) honours them', () => {
  it('HTTPS_PROXY tunnels an https endpoint through CONNECT', async () => {
    const r = await agent(['action=status', 'port=node2', `endpoint=${tlsServer.apiUrl}`, `ca_file=${certFile}`], {
      HTTPS_PROXY: proxy.url,
    });
    expect(r.exitCode).toBe(0);
    expect(methods()).toEqual([`CONNECT 127.0.0.1:${tlsServer.port}`, 'POST ReadVms']);
  });

  it('https_proxy (lowercase) wins, and NO_PROXY naming the host bypasses the proxy', async () => {
    const r = await agent(['action=status', 'port=node2', `endpoint=${tlsServer.apiUrl}`, `ca_file=${certFile}`], {
      https_proxy: proxy.url,
      HTTPS_PROXY: 'http://127.0.0.1:9',
    });
    expect(r.exitCode).toBe(0);
    expect(methods()[0]).toBe(`CONNECT 127.0.0.1:${tlsServer.port}`);
    sim.reset();
    const direct = await agent(['action=status', 'port=node2', `endpoint=${tlsServer.apiUrl}`, `ca_file=${certFile}`], {
      HTTPS_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: 'localhost,127.0.0.1',
    });
    expect(direct.exitCode).toBe(0);
    expect(methods()).toEqual(['POST ReadVms']);
  });

  it('HTTP_PROXY carries a plain-http endpoint in absolute form', async () => {
    const r = await agent(['action=status', 'port=node2', `endpoint=${plainServer.apiUrl}`], { HTTP_PROXY: proxy.url });
    expect(r.exitCode).toBe(0);
    expect(methods()).toEqual([`POST ${plainServer.apiUrl}/ReadVms`, 'POST ReadVms']);
  });

  it('a proxy that answers 407 is not retried, and the message says so', async () => {
    sim.setFaults({ proxy: '407' });
    const r = await agent(['action=monitor', `endpoint=${tlsServer.apiUrl}`, `ca_file=${certFile}`], { HTTPS_PROXY: proxy.url });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('HTTP 407 (Proxy Authentication Required) (not retried)');
    expect(methods()).toEqual([`CONNECT 127.0.0.1:${tlsServer.port}`]);
  });
});

describe('the proxy password is a secret', () => {
  it('proxy_password_file supplies the password for the user of the proxy URL, and a group-readable file is warned about', async () => {
    sim.setFaults({ proxy: { user: 'fence', password: proxyPassword } });
    const file = join(dir, 'proxy-password');
    writeFileSync(file, `${proxyPassword}\n`);
    chmodSync(file, 0o640);
    const lines = [
      'action=status',
      'port=node2',
      `endpoint=${tlsServer.apiUrl}`,
      `ca_file=${certFile}`,
      'verbose=1',
      `proxy_password_file=${file}`,
    ];
    const r = await agent(lines, { HTTPS_PROXY: `http://fence@127.0.0.1:${proxy.port}` });
    expect(r.exitCode).toBe(0);
    expect(sim.log.list()[0]).toMatchObject({ method: 'CONNECT', proxyUser: 'fence', status: 200 });
    expect(r.stderr).toContain(`proxy_password_file ${file} is readable by its group (mode 0640): chmod 600 ${file}`);
    expect(r.stdout + r.stderr).not.toContain(proxyPassword);
  });

  it('a password in the proxy URL is redacted from every message, even when the proxy refuses it', async () => {
    sim.setFaults({ proxy: '407' });
    const r = await agent([
      'action=status',
      'port=node2',
      `endpoint=${plainServer.apiUrl}`,
      'verbose=1',
      `proxy=http://fence:${proxyPassword}@127.0.0.1:${proxy.port}`,
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('HTTP 407');
    expect(r.stdout + r.stderr).not.toContain(proxyPassword);
  });

  it('a proxy URL with a password is refused on the command line, without echoing it; one without is accepted', async () => {
    const r = await runFenceAgent(fenceOutscale, {
      argv: ['-o', 'validate-all', '-n', 'node2', '-a', accessKey, '--proxy', `http://fence:${proxyPassword}@127.0.0.1:1`],
      env: { HOME: '/nonexistent', OSC_SECRET_KEY: secretKey },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('--proxy with a password is refused on the command line');
    expect(r.stderr).toContain('proxy_password_file');
    expect(r.stderr).not.toContain(proxyPassword);
    const ok = await runFenceAgent(fenceOutscale, {
      argv: ['-o', 'validate-all', '-a', accessKey, '--proxy', 'http://fence@127.0.0.1:1'],
      env: { HOME: '/nonexistent', OSC_SECRET_KEY: secretKey },
    });
    expect(ok.stderr).toBe('');
    expect(ok.exitCode).toBe(0);
  });
});

describe('the signing region of an api.<region>.outscale.com endpoint', () => {
  it('is that region when none is given: the simulator of us-east-2 checks the signature', async () => {
    const us = selfSigned(dir, 'api.us-east-2.outscale.com');
    const usSim = new Simulator(parseConfig(baseConfig({ region: 'us-east-2' })));
    const api = await startServer(usSim, { tls: { cert: us.cert, key: us.key } });
    // The proxy carries the real host name to the local simulator: nothing leaves the machine.
    const usProxy = await startProxy(usSim, 0, { 'api.us-east-2.outscale.com:443': api.port });
    try {
      const stdin = (extra: string) =>
        `action=status\nport=node2\naccess_key=${accessKey}\nsecret_key=${secretKey}\nskip_race_check=true\n` +
        `endpoint=https://api.us-east-2.outscale.com\nca_file=${us.certFile}\nproxy=${usProxy.url}\n${extra}`;
      const r = await runFenceAgent(fenceOutscale, { argv: [], stdin: stdin(''), env: { HOME: '/nonexistent' } });
      expect(r.stdout).toBe('Status: ON\n');
      expect(r.exitCode).toBe(0);
      expect(usSim.log.list().at(-1)).toMatchObject({ operation: 'ReadVms', auth: 'ok' });
      // An explicit region wins, and the simulator refuses a signature for the wrong one.
      const wrong = await runFenceAgent(fenceOutscale, { argv: [], stdin: stdin('region=eu-west-2\n'), env: { HOME: '/nonexistent' } });
      expect(wrong.exitCode).toBe(1);
      expect(wrong.stderr).toContain('HTTP 401');
    } finally {
      await Promise.all([usProxy.close(), api.close()]);
    }
  });
});

describe('retries only for what can heal', () => {
  it.each([
    ['ECONNREFUSED', true],
    ['ECONNRESET', true],
    ['EHOSTUNREACH', true],
    ['EAI_AGAIN', true],
    ['ENOTFOUND', false],
    ['CERT_HAS_EXPIRED', false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', false],
  ])('%s heals: %s', (code, heals) => {
    expect(networkErrorHeals(code)).toBe(heals);
  });
});

describe('the endpoint named, resolved in a getent child (lib/net), never by getaddrinfo in this process', () => {
  const fakeGetent = useFakeGetent();
  const named = () => plainServer.apiUrl.replace('127.0.0.1', 'api.lab.test');

  it('a name getent resolves is reached at the address it gives', async () => {
    fakeGetent('[ "$3" = api.lab.test ] || exit 2; echo "127.0.0.1       STREAM api.lab.test"');
    const r = await agent(['action=status', 'port=node2', `endpoint=${named()}`, 'insecure_http=true']);
    expect(r.stdout).toBe('Status: ON\n');
    expect(r.exitCode).toBe(0);
  });

  it('a name getent finds no address for is retried (getent cannot tell it from a silent DNS server), then fails naming it', async () => {
    fakeGetent('exit 2');
    const r = await agent(['action=status', 'port=node2', `endpoint=${named()}`, 'insecure_http=true']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('retry 2 of 2');
    expect(r.stderr).toContain('api.lab.test: getent found no address for it (no such name, or no DNS server answered) (EAI_AGAIN)');
    expect(sim.log.list()).toEqual([]);
  });

  it('a resolver that does not answer costs the request timeout, then is retried; the getent child is killed', async () => {
    const pids = join(dir, 'getent-pids');
    fakeGetent(`echo $$ >>${pids}; exec sleep 30`);
    const r = await agent(['action=status', 'port=node2', `endpoint=${named()}`, 'insecure_http=true', 'shell_timeout=1']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('retry 2 of 2');
    expect(r.stderr).toMatch(
      /Failed: ReadVms: cannot reach api\.lab\.test:\d+: api\.lab\.test: the name did not resolve within \d+ ms \(EAI_AGAIN\)/,
    );
    const children = readFileSync(pids, 'utf8').trim().split('\n');
    expect(children.length).toBe(3); // tried, retried twice
    await new Promise((r) => setTimeout(r, 100)); // the last one is killed as the attempt gives up
    for (const pid of children) {
      const state = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] : 'gone';
      expect(['gone', 'Z']).toContain(state);
    }
  }, 30_000); // three attempts of 1 s and their backoff, past vitest's 5 s default on a loaded machine
});
