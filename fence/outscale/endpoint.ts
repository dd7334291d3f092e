// SPDX-License-Identifier: Apache-2.0
import { FenceError } from '../../lib/fence/index.js';
import type { Profile } from './credentials.js';
import type { OutscaleOptions } from './options.js';

/** The public regions of the Outscale API (osc-api 1.40.1 servers, and the user guide for cloudgouv-eu-west-2). */
export const knownRegions = ['ap-northeast-1', 'cloudgouv-eu-west-1', 'cloudgouv-eu-west-2', 'eu-west-2', 'us-east-2', 'us-west-1'] as const;
export const defaultRegion = 'eu-west-2';

type Env = Readonly<Record<string, string | undefined>>;

/** Region and API base URL, from options, then the environment, then the profile, then defaults. */
export function resolveEndpoint(o: OutscaleOptions, env: Env, profile: Profile | undefined): { region: string; endpoint: URL } {
  const region = o.region ?? nonEmpty(env.OSC_REGION) ?? profile?.region ?? defaultRegion;
  const override = o.endpoint ?? nonEmpty(env.OSC_ENDPOINT_API) ?? profile?.endpoint;
  if (!/^[a-z0-9-]+$/.test(region)) throw new FenceError(`region '${region}' is not a region name (e.g. eu-west-2)`);
  if (override === undefined) {
    if (!(knownRegions as readonly string[]).includes(region))
      throw new FenceError(`unknown region '${region}': use one of ${knownRegions.join(', ')}, or set endpoint= for another API`);
    return { region, endpoint: new URL(`https://api.${region}.outscale.com/api/v1`) };
  }
  return { region, endpoint: parseEndpoint(override) };
}

/** An endpoint URL; the SDKs' form ends in /api/v1 and osc-config-spec's has no path: both work. */
export function parseEndpoint(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FenceError(`endpoint '${text}' is not a URL: write it as https://host[:port][/api/v1]`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new FenceError(`endpoint '${text}' must start with https:// (or http:// for a local test API)`);
  if (url.username !== '' || url.password !== '') throw new FenceError('endpoint must not contain credentials');
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/api/v1';
  url.search = '';
  url.hash = '';
  return url;
}

/** The proxy URL, or undefined; only http:// proxies (HTTPS is tunnelled through CONNECT). */
export function parseProxy(text: string | undefined): URL | undefined {
  if (text === undefined || text === '') return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FenceError('proxy is not a URL: write it as http://[user:password@]host:port');
  }
  if (url.protocol !== 'http:') throw new FenceError(`proxy must be an http:// URL, got ${url.protocol}//${url.host}`);
  return url;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
