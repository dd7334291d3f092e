// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { FenceError, type FenceContext } from '../../lib/fence/index.js';
import type { Logger } from '../../lib/log/index.js';
import type { Deadline } from '../../lib/ocf/deadline.js';
import { OutscaleApi } from './api.js';
import { loadProfile, resolveCredentials } from './credentials.js';
import { parseProxy, resolveEndpoint } from './endpoint.js';
import { instanceIdUrl } from './metadata-service.js';
import type { OutscaleOptions } from './options.js';
import { findTargetVm, plugProblem } from './target.js';
import type { Vm } from './vms.js';

/** What one call of the agent works with: the options, a signed API client, and plug → VM ID answers. */
export interface OutscaleConnection {
  readonly o: OutscaleOptions;
  readonly api: OutscaleApi;
  /** Resolves a plug to its VM and remembers the ID, so a poll reads by ID only. */
  readonly findVm: (plug: string, deadline: Deadline) => Promise<Vm>;
}

/** Checks the options without network: what validate-all and every action start with. */
export async function checkOptions(o: OutscaleOptions, ctx: FenceContext): Promise<void> {
  const profile = loadProfile(o, ctx.env);
  resolveEndpoint(o, ctx.env, profile.profile);
  parseProxy(o.proxy);
  readCaFile(o.ca_file);
  try {
    instanceIdUrl(o.metadata_url);
  } catch {
    throw new FenceError(`metadata_url '${o.metadata_url}' is not a URL`);
  }
  if (o.filter !== undefined && !/^[^=]+=.*$/.test(o.filter)) throw new FenceError(`filter must be key=value, e.g. Cluster=prod`);
  for (const plug of (o.plug ?? '').split(o.plug_separator || ',').map((p) => p.trim()).filter((p) => p !== '')) {
    const problem = plugProblem(plug);
    if (problem !== undefined) throw new FenceError(problem);
  }
  await resolveCredentials(o, ctx.env, profile, ctx.deadline, false);
}

/** Resolves credentials and endpoint, and builds the client. Runs secret_key_script within login_timeout. */
export async function connect(o: OutscaleOptions, ctx: FenceContext): Promise<OutscaleConnection> {
  const profile = loadProfile(o, ctx.env);
  const { region, endpoint } = resolveEndpoint(o, ctx.env, profile.profile);
  const proxy = parseProxy(o.proxy);
  const ca = readCaFile(o.ca_file);
  const credentials = await resolveCredentials(o, ctx.env, profile, ctx.deadline.within(o.login_timeout * 1000));
  ctx.log.debug(`API ${endpoint.href} region ${region}, access key ${credentials.accessKey} from ${credentials.source}, ${o.signature_version} signatures`);
  const api = new OutscaleApi(
    {
      endpoint,
      region,
      credentials,
      signatureVersion: o.signature_version,
      requestTimeoutMs: Math.max(1, o.shell_timeout) * 1000,
      maxRetries: o.api_retries,
      ...(proxy ? { proxy } : {}),
      ...(ca ? { ca } : {}),
    },
    ctx.log,
  );
  return { o, api, findVm: vmFinder(api, o.tag_key, ctx.log) };
}

/** The system CAs plus those of ca_file, or undefined when it is unset. */
function readCaFile(path: string | undefined): string[] | undefined {
  if (path === undefined) return undefined;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new FenceError(`cannot read ca_file ${path}: ${typeof code === 'string' ? code : 'read error'}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new FenceError(`ca_file ${path} holds no PEM certificate`);
  return [...tls.rootCertificates, pem];
}

function vmFinder(api: OutscaleApi, tagKey: string, log: Logger): OutscaleConnection['findVm'] {
  const ids = new Map<string, string>();
  return async (plug, deadline) => {
    const known = ids.get(plug);
    const vm = await findTargetVm(api, known ?? plug, tagKey, deadline);
    if (known === undefined && vm.id !== plug) log.debug(`plug ${plug} is VM ${vm.id} (tag ${tagKey})`);
    ids.set(plug, vm.id);
    return vm;
  };
}
