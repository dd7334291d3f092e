// SPDX-License-Identifier: Apache-2.0
import { FenceError, type Env } from '../../lib/fence/index.js';
import type { Profile } from './credentials.js';
import type { OutscaleOptions } from './options.js';

/** The public regions of the Outscale API (osc-api 1.40.1 servers, and the user guide for cloudgouv-eu-west-2). */
export const knownRegions = [
  'ap-northeast-1',
  'cloudgouv-eu-west-1',
  'cloudgouv-eu-west-2',
  'eu-west-2',
  'us-east-2',
  'us-west-1',
] as const;
export const defaultRegion = 'eu-west-2';

/**
 * Region and API base URL, from options, then the environment, then the profile, then defaults.
 * An endpoint api.<region>.outscale.com names the signing region unless the same place, or a
 * nearer one, gives a region: a device's endpoint= is not signed with a profile's region.
 */
export function resolveEndpoint(o: OutscaleOptions, env: Env, profile: Profile | undefined): { region: string; endpoint: URL } {
  const places = [
    { endpoint: o.endpoint, region: o.region },
    { endpoint: nonEmpty(env.OSC_ENDPOINT_API), region: nonEmpty(env.OSC_REGION) },
    { endpoint: profile?.endpoint, region: profile?.region },
  ];
  const endpointPlace = places.findIndex((p) => p.endpoint !== undefined);
  const override = places[endpointPlace]?.endpoint;
  const endpoint = override === undefined ? undefined : parseEndpoint(override, o.insecure_http);
  const fromHost = endpoint === undefined ? undefined : /^api\.([a-z0-9-]+)\.outscale\.com$/.exec(endpoint.hostname)?.[1];
  const region = regionOf(places, endpointPlace, fromHost) ?? defaultRegion;
  if (!/^[a-z0-9-]+$/.test(region)) throw new FenceError(`region '${region}' is not a region name (e.g. eu-west-2)`);
  if (endpoint === undefined) {
    if (!(knownRegions as readonly string[]).includes(region))
      throw new FenceError(`unknown region '${region}': use one of ${knownRegions.join(', ')}, or set endpoint= for another API`);
    return { region, endpoint: new URL(`https://api.${region}.outscale.com/api/v1`) };
  }
  return { region, endpoint };
}

/** Whether a URL host is on loopback: 127.0.0.0/8 or ::1 (a name is not: it could resolve anywhere). */
export function isLoopbackHost(hostname: string): boolean {
  return /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]' || hostname === '::1';
}

/**
 * An endpoint URL; the SDKs' form ends in /api/v1 and osc-config-spec's has no path: both work.
 * Plain http:// only on loopback (a local endpoint or a tunnel), or with insecure_http.
 */
export function parseEndpoint(text: string, insecureHttp = false): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FenceError(`endpoint '${text}' is not a URL: write it as https://host[:port][/api/v1]`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new FenceError(`endpoint '${text}' must start with https:// (or http:// for a local test API)`);
  if (url.username !== '' || url.password !== '') throw new FenceError('endpoint must not contain credentials');
  if (url.protocol === 'http:' && !insecureHttp && !isLoopbackHost(url.hostname))
    throw new FenceError(
      `endpoint ${url.protocol}//${url.host} is plain HTTP off loopback: anyone on the way could forge a VM state. ` +
        'Use https://, or set insecure_http=true for a trusted network',
    );
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/api/v1';
  url.search = '';
  url.hash = '';
  return url;
}

/** The proxy URL, or undefined; only http:// proxies (HTTPS is tunnelled through CONNECT). Errors never echo the URL. */
export function parseProxy(text: string | undefined, from = 'proxy'): URL | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new FenceError(`${from} is not a URL: write it as http://[user[:password]@]host:port`);
  }
  if (url.protocol !== 'http:') throw new FenceError(`${from} must be an http:// URL, got ${url.protocol}//${url.host}`);
  return url;
}

/**
 * The proxy for `endpoint`: the proxy option, else the environment as curl and Python's
 * requests (boto3, so fence_aws) read it: https_proxy/HTTPS_PROXY for an https endpoint,
 * http_proxy/HTTP_PROXY for http, lowercase first, unless no_proxy/NO_PROXY names the host.
 */
export function proxyFor(o: OutscaleOptions, env: Env, endpoint: URL): { url: URL; from: string } | undefined {
  const option = parseProxy(o.proxy);
  if (option !== undefined) return { url: option, from: 'the proxy option' };
  const names = endpoint.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const name = names.find((n) => nonEmpty(env[n]) !== undefined);
  if (name === undefined) return undefined;
  if (bypassesProxy(endpoint, env.no_proxy ?? env.NO_PROXY)) return undefined;
  const url = parseProxy(env[name], name);
  return url === undefined ? undefined : { url, from: name };
}

/** no_proxy entries: `*`, host names (a leading dot or not: the domain and its subdomains), IP addresses, each with an optional :port. */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const m = /^(\[[^\]]+\]|[^:]+|[0-9a-f:]+)(?::(\d+))?$/.exec(entry);
    const name = (m?.[1] ?? entry).replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (m?.[2] !== undefined && m[2] !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** The first place's region, or the endpoint's host region at the place the endpoint came from. */
function regionOf(
  places: readonly { region: string | undefined }[],
  endpointPlace: number,
  fromHost: string | undefined,
): string | undefined {
  for (const [i, place] of places.entries()) {
    if (place.region !== undefined) return place.region;
    if (i === endpointPlace && fromHost !== undefined) return fromHost;
  }
  return undefined;
}

/** A setting with something in it: unset, empty and blank are all "not set". */
function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
