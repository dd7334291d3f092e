// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentOptionsSpec } from '../../../../lib/fence/index.js';
import { resolveOptions } from '../../../../lib/fence/resolve-options.js';
import { parseStdinOptions } from '../../../../lib/fence/parse-stdin.js';
import { Deadline } from '../../../../lib/time/index.js';
import { findCredentials, loadProfile, readCredentials } from '../../../../fence/outscale/credentials.js';
import { bypassesProxy, proxyFor, resolveEndpoint } from '../../../../fence/outscale/endpoint.js';
import { instanceIdUrl } from '../../../../fence/outscale/metadata-service.js';
import { fenceOutscale } from '../../../../fence/outscale/index.js';
import type { OutscaleOptions } from '../../../../fence/outscale/options.js';

const dir = mkdtempSync(join(tmpdir(), 'fo-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function options(text: string): OutscaleOptions {
  const r = resolveOptions(parseStdinOptions(text).options, agentOptionsSpec(fenceOutscale), 'stdin');
  expect(r.errors).toEqual([]);
  return r.values as OutscaleOptions;
}

describe('endpoint safety and proxies', () => {
  it.each([
    ['endpoint=https://api.cloudgouv-eu-west-1.outscale.com\n', {}, 'cloudgouv-eu-west-1'],
    ['endpoint=https://api.us-east-2.outscale.com/api/v1\n', {}, 'us-east-2'],
    ['endpoint=https://api.us-east-2.outscale.com\nregion=eu-west-2\n', {}, 'eu-west-2'],
    ['endpoint=https://api.us-east-2.outscale.com\n', { OSC_REGION: 'us-west-1' }, 'us-east-2'],
    ['', { OSC_ENDPOINT_API: 'https://api.us-east-2.outscale.com', OSC_REGION: 'us-west-1' }, 'us-west-1'],
    ['', { OSC_ENDPOINT_API: 'https://api.us-east-2.outscale.com' }, 'us-east-2'],
    ['region=us-west-1\n', { OSC_ENDPOINT_API: 'https://api.us-east-2.outscale.com' }, 'us-west-1'],
    ['endpoint=https://osc.example.test\n', { OSC_REGION: 'us-west-1' }, 'us-west-1'],
    ['endpoint=https://osc.example.test\n', {}, 'eu-west-2'],
  ])(
    'an endpoint api.<region>.outscale.com signs for that region unless its place or a nearer one names one: %j %j -> %s',
    (text, env, region) => {
      expect(resolveEndpoint(options(text), env, undefined).region).toBe(region);
    },
  );

  it.each(['http://192.0.2.10:3000', 'http://localhost:3000', 'http://api.eu-west-2.outscale.com'])(
    'plain http off loopback is refused: %s',
    (url) => {
      expect(() => resolveEndpoint(options(`endpoint=${url}\n`), {}, undefined)).toThrow(/plain HTTP off loopback.*insecure_http=true/);
      expect(resolveEndpoint(options(`endpoint=${url}\ninsecure_http=true\n`), {}, undefined).endpoint.protocol).toBe('http:');
    },
  );

  it.each(['http://127.0.0.1:3000', 'http://127.1.2.3', 'http://[::1]:3000'])('plain http on loopback is accepted: %s', (url) => {
    expect(resolveEndpoint(options(`endpoint=${url}\n`), {}, undefined).endpoint.protocol).toBe('http:');
  });

  const https = new URL('https://api.eu-west-2.outscale.com/api/v1');
  const http = new URL('http://127.0.0.1:3000/api/v1');
  it.each([
    [https, { HTTPS_PROXY: 'http://proxy.test:3128' }, 'proxy.test:3128'],
    [https, { https_proxy: 'http://lower.test:1', HTTPS_PROXY: 'http://upper.test:2' }, 'lower.test:1'],
    [https, { HTTP_PROXY: 'http://plain.test:1' }, undefined],
    [http, { HTTP_PROXY: 'http://plain.test:1', HTTPS_PROXY: 'http://tls.test:1' }, 'plain.test:1'],
    [https, { HTTPS_PROXY: 'http://p.test:1', NO_PROXY: 'outscale.com' }, undefined],
    [https, { HTTPS_PROXY: 'http://p.test:1', no_proxy: '.outscale.com,localhost' }, undefined],
    [https, { HTTPS_PROXY: 'http://p.test:1', NO_PROXY: '*' }, undefined],
    [https, { HTTPS_PROXY: 'http://p.test:1', NO_PROXY: 'api.eu-west-2.outscale.com:8443' }, 'p.test:1'],
    [https, { HTTPS_PROXY: 'http://p.test:1', NO_PROXY: 'example.com,scale.com' }, 'p.test:1'],
    [https, { https_proxy: '  ', HTTPS_PROXY: 'http://upper.test:2' }, 'upper.test:2'],
    [https, { HTTPS_PROXY: ' ' }, undefined],
  ])('proxy for %s with %j: %s', (url, env, host) => {
    expect(proxyFor(options(''), env, url)?.url.host).toBe(host);
  });

  it('the proxy option wins over the environment and NO_PROXY', () => {
    expect(proxyFor(options('proxy=http://opt.test:8080\n'), { HTTPS_PROXY: 'http://env.test:1', NO_PROXY: '*' }, https)?.url.host).toBe(
      'opt.test:8080',
    );
  });

  it('a blank proxy option is no proxy option: the environment decides', () => {
    expect(proxyFor(options('proxy= \n'), { HTTPS_PROXY: 'http://env.test:1' }, https)?.url.host).toBe('env.test:1');
    expect(proxyFor(options('proxy= \n'), {}, https)).toBeUndefined();
  });

  it('NO_PROXY matches IP addresses exactly', () => {
    expect(bypassesProxy(http, '127.0.0.1')).toBe(true);
    expect(bypassesProxy(http, '127.0.0.2,10.0.0.1')).toBe(false);
  });
});

describe('region and endpoint', () => {
  it.each([
    ['', {}, 'eu-west-2', 'https://api.eu-west-2.outscale.com/api/v1'],
    ['region=us-east-2\n', {}, 'us-east-2', 'https://api.us-east-2.outscale.com/api/v1'],
    ['', { OSC_REGION: 'ap-northeast-1' }, 'ap-northeast-1', 'https://api.ap-northeast-1.outscale.com/api/v1'],
    ['region=us-west-1\n', { OSC_REGION: 'ap-northeast-1' }, 'us-west-1', 'https://api.us-west-1.outscale.com/api/v1'],
    ['endpoint=http://127.0.0.1:8080\n', {}, 'eu-west-2', 'http://127.0.0.1:8080/api/v1'],
    ['endpoint=http://127.0.0.1:8080/api/v1\n', {}, 'eu-west-2', 'http://127.0.0.1:8080/api/v1'],
    ['', { OSC_ENDPOINT_API: 'https://api.example.test/api/v1' }, 'eu-west-2', 'https://api.example.test/api/v1'],
    ['region=lab-1\nendpoint=http://127.0.0.1:1/\n', {}, 'lab-1', 'http://127.0.0.1:1/api/v1'],
  ])('%j with %j: %s at %s', (text, env, region, url) => {
    const r = resolveEndpoint(options(text), env, undefined);
    expect(r.region).toBe(region);
    expect(r.endpoint.href).toBe(url);
  });

  it.each([
    ['region=mars-1\n', "unknown region 'mars-1'"],
    ['region=EU West\n', 'is not a region name'],
    ['endpoint=ftp://x\n', 'must start with https://'],
    ['endpoint=not a url\n', 'is not a URL'],
  ])('%j is refused', (text, message) => {
    expect(() => resolveEndpoint(options(text), {}, undefined)).toThrow(message);
  });

  it.each([
    ['http://169.254.169.254', 'http://169.254.169.254/latest/meta-data/instance-id'],
    ['http://127.0.0.1:5/latest/meta-data', 'http://127.0.0.1:5/latest/meta-data/instance-id'],
    ['http://127.0.0.1:5/latest/meta-data/instance-id', 'http://127.0.0.1:5/latest/meta-data/instance-id'],
  ])('metadata_url %s reads %s', (text, url) => {
    expect(instanceIdUrl(text).href).toBe(url);
  });
});

describe('credentials', () => {
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      default: { access_key: 'AKFILE', secret_key: 'SKFILE', region: 'us-east-2', endpoints: { api: 'http://127.0.0.1:7/api/v1' } },
      lab: { access_key: 'AKLAB', secret_key: 'SKLAB' },
    }),
  );
  const secretFile = join(dir, 'secret');
  writeFileSync(secretFile, ' SKFROMFILE \n');
  const script = join(dir, 'secret.sh');
  writeFileSync(script, '#!/bin/sh\necho SKFROMSCRIPT\n', { mode: 0o755 });
  const failing = join(dir, 'failing.sh');
  writeFileSync(failing, '#!/bin/sh\necho SKLEAKED >&2\nexit 3\n', { mode: 0o755 });

  async function credentials(text: string, env: Record<string, string> = {}) {
    const o = options(text);
    const c = await readCredentials(findCredentials(o, env, loadProfile(o, env)), Deadline.after(5000));
    return { accessKey: c.accessKey, secret: c.secretKey.reveal() };
  }

  it.each([
    ['access_key=AKOPT\nsecret_key=SKOPT\n', { OSC_ACCESS_KEY: 'AKENV', OSC_SECRET_KEY: 'SKENV' }, 'AKOPT', 'SKOPT'],
    ['', { OSC_ACCESS_KEY: 'AKENV', OSC_SECRET_KEY: 'SKENV', OSC_CONFIG_FILE: config }, 'AKENV', 'SKENV'],
    [`config_file=${config}\n`, {}, 'AKFILE', 'SKFILE'],
    [`config_file=${config}\nprofile=lab\n`, {}, 'AKLAB', 'SKLAB'],
    [`access_key=AK\nsecret_key_file=${secretFile}\n`, {}, 'AK', 'SKFROMFILE'],
    [`access_key=AK\nsecret_key_script=${script}\n`, {}, 'AK', 'SKFROMSCRIPT'],
  ])('%j with %j gives %s', async (text, env, accessKey, secret) => {
    expect(await credentials(text, env)).toEqual({ accessKey, secret });
  });

  it('takes region and endpoint from the profile, below options and environment', () => {
    const o = options(`config_file=${config}\n`);
    const r = resolveEndpoint(o, {}, loadProfile(o, {}).profile);
    expect([r.region, r.endpoint.href]).toEqual(['us-east-2', 'http://127.0.0.1:7/api/v1']);
  });

  it("signs a device's endpoint for its host's region, not for the profile's region", () => {
    const o = options(`config_file=${config}\nendpoint=https://api.eu-west-2.outscale.com\n`);
    const r = resolveEndpoint(o, {}, loadProfile(o, {}).profile);
    expect([r.region, r.endpoint.href]).toEqual(['eu-west-2', 'https://api.eu-west-2.outscale.com/api/v1']);
  });

  it.each([
    ['', 'no Outscale credentials: the access key and the secret key are missing'],
    ['access_key=AK\n', 'the secret key is missing'],
    [`config_file=${config}\nprofile=nope\n`, "profile 'nope' is not in"],
    [`config_file=${join(dir, 'none.json')}\n`, 'cannot read the Outscale configuration file'],
    [`access_key=AK\nsecret_key_file=${join(dir, 'none')}\n`, 'cannot read secret_key_file'],
    [`access_key=AK\nsecret_key_script=${failing}\n`, 'exited 3'],
  ])('%j fails: %s', async (text, message) => {
    const e = (await credentials(text, { HOME: dir }).catch((x: unknown) => x)) as Error;
    expect(e.message).toContain(message);
    expect(e.message).not.toContain('SKLEAKED');
  });
});
