// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { FenceError, type FenceContext, type Env } from '../../lib/fence/index.js';
import type { Logger } from '../../lib/log/index.js';
import type { Deadline } from '../../lib/time/index.js';
import { OutscaleApi } from './api.js';
import { findCredentials, loadProfile, readCredentials, readSecretFile, type FoundCredentials } from './credentials.js';
import { proxyFor, resolveEndpoint } from './endpoint.js';
import { instanceIdUrl } from './metadata-service.js';
import type { OutscaleOptions } from './options.js';
import { findTargetVm, plugProblem, type TargetLookup } from './target.js';
import type { Vm } from './vms.js';
import { errnoCode } from '../../lib/unknown/index.js';

/** What one call of the agent works with: the options, a signed API client, and plug → VM answers. */
export interface OutscaleConnection {
  readonly o: OutscaleOptions;
  readonly api: OutscaleApi;
  /** Reads the VM a plug names, and remembers its ID, so a poll reads by ID only. */
  readonly findVm: (plug: string, deadline: Deadline) => Promise<Vm>;
  /** The VM as this call last read it, if it did. */
  readonly lastRead: (plug: string) => Vm | undefined;
  /** This node's own VM, once the race check read it from the metadata service. */
  ownVmId?: string;
}

/** Where and with what the API is reached: resolved from the options, environment and profile once per call. */
export interface ResolvedSettings {
  readonly region: string;
  readonly endpoint: URL;
  readonly proxy?: { readonly url: URL; readonly from: string };
  readonly ca?: string[];
  readonly credentials: FoundCredentials;
}

/**
 * Checks the options without network and resolves the API settings: what validate-all and every
 * action start with. A secret_key_script is checked, not run.
 */
export function resolveSettings(o: OutscaleOptions, ctx: FenceContext): ResolvedSettings {
  const warn = (m: string): void => ctx.log.warn(m);
  const profile = loadProfile(o, ctx.env, warn);
  const { region, endpoint } = resolveEndpoint(o, ctx.env, profile.profile);
  const proxy = resolveProxy(o, ctx.env, endpoint, warn);
  const ca = readCaFile(o.ca_file);
  try {
    instanceIdUrl(o.metadata_url);
  } catch {
    throw new FenceError(`metadata_url '${o.metadata_url}' is not a URL`);
  }
  if (o.filter !== undefined && !/^[^=]+=.*$/.test(o.filter)) throw new FenceError(`filter must be key=value, e.g. Cluster=prod`);
  for (const plug of ctx.plugs) {
    const problem = plugProblem(plug);
    if (problem !== undefined) throw new FenceError(problem);
  }
  const credentials = findCredentials(o, ctx.env, profile, warn);
  return { region, endpoint, credentials, ...(proxy ? { proxy } : {}), ...(ca ? { ca } : {}) };
}

/** The proxy with the password of proxy_password_file, if any; logged without its password. */
function resolveProxy(o: OutscaleOptions, env: Env, endpoint: URL, warn?: (m: string) => void): { url: URL; from: string } | undefined {
  const proxy = proxyFor(o, env, endpoint);
  if (o.proxy_password_file === undefined) return proxy;
  if (proxy === undefined || proxy.url.username === '')
    throw new FenceError('proxy_password_file needs a proxy URL with a user: http://user@host:port (proxy option, or https_proxy)');
  proxy.url.password = encodeURIComponent(readSecretFile(o.proxy_password_file, 'proxy_password_file', warn));
  return proxy;
}

/** login_timeout in ms; 0 is fencing.py's "no limit", as for shell_timeout: the action's budget still bounds the wait. */
export function loginTimeoutMs(o: OutscaleOptions): number {
  return o.login_timeout > 0 ? o.login_timeout * 1000 : Number.POSITIVE_INFINITY;
}

/** Builds the client from the resolved settings. Runs secret_key_script within login_timeout. */
export async function connect(o: OutscaleOptions, ctx: FenceContext, settings: ResolvedSettings): Promise<OutscaleConnection> {
  const { region, endpoint, proxy, ca } = settings;
  const credentials = await readCredentials(settings.credentials, ctx.deadline.within(loginTimeoutMs(o)));
  const via = proxy ? ` through proxy ${proxy.url.host} (${proxy.from})` : '';
  ctx.log.debug(
    `API ${endpoint.href}${via} region ${region}, access key ${credentials.accessKey} from ${credentials.source}, ` +
      `${o.signature_version} signatures`,
  );
  const api = new OutscaleApi(
    {
      endpoint,
      region,
      credentials,
      signatureVersion: o.signature_version,
      // shell_timeout=0 is fencing.py's "no limit": the action's budget still bounds every request.
      requestTimeoutMs: o.shell_timeout > 0 ? o.shell_timeout * 1000 : Number.POSITIVE_INFINITY,
      maxRetries: o.api_retries,
      ...(proxy ? { proxy: proxy.url } : {}),
      ...(ca ? { ca } : {}),
    },
    ctx.log,
  );
  return { o, api, ...vmFinder(api, { tagKey: o.tag_key, ...(o.filter !== undefined ? { filter: o.filter } : {}) }, ctx.log) };
}

/** Node's bundled CAs plus those of ca_file, or undefined when it is unset. */
function readCaFile(path: string | undefined): string[] | undefined {
  if (path === undefined) return undefined;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    const code = errnoCode(e);
    throw new FenceError(`cannot read ca_file ${path}: ${code ?? 'read error'}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new FenceError(`ca_file ${path} holds no PEM certificate`);
  return [...tls.rootCertificates, pem];
}

function vmFinder(api: OutscaleApi, lookup: TargetLookup, log: Logger): Pick<OutscaleConnection, 'findVm' | 'lastRead'> {
  const ids = new Map<string, string>();
  const last = new Map<string, Vm>();
  return {
    findVm: async (plug, deadline) => {
      const known = ids.get(plug);
      const vm = await findTargetVm(api, known ?? plug, lookup, deadline);
      if (known === undefined && vm.id !== plug) log.debug(`plug ${plug} is VM ${vm.id} (tag ${lookup.tagKey})`);
      ids.set(plug, vm.id);
      last.set(plug, vm);
      return vm;
    },
    lastRead: (plug) => last.get(plug),
  };
}
