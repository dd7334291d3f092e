// SPDX-License-Identifier: Apache-2.0
import type { Deadline } from '../../lib/time/index.js';
import { sendHttp } from './http.js';
import { vmIdPattern } from './target.js';
import { errnoCode } from '../../lib/unknown/index.js';

const instanceIdPath = '/latest/meta-data/instance-id';

/** The instance-id URL of a metadata_url option: a base URL (…/ or …/latest/meta-data) gets the rest of the EC2-style path. */
export function instanceIdUrl(text: string): URL {
  const url = new URL(text);
  if (url.pathname === '' || url.pathname === '/') url.pathname = instanceIdPath;
  else if (/\/latest\/meta-data\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/$/, '')}/instance-id`;
  return url;
}

/**
 * This VM's own ID from the metadata service (plain GET, as Outscale's osceip agent does), or
 * the reason it is unknown. Bounded by `timeoutMs`, and never through the API proxy: the
 * service is link-local. An unreachable service is an answer ("unknown"), never a hang.
 * An infinite `timeoutMs` (login_timeout=0) leaves only the deadline.
 */
export async function readOwnVmId(url: URL, timeoutMs: number, deadline: Deadline): Promise<{ vmId: string } | { unknown: string }> {
  const attempt = deadline.within(timeoutMs);
  try {
    const res = await sendHttp({
      url,
      method: 'GET',
      headers: { host: url.host },
      signal: attempt.signal,
      resolveWithinMs: attempt.remainingMs(),
    });
    const text = res.body.trim();
    if (res.status !== 200) return { unknown: `the metadata service at ${url.href} answered HTTP ${res.status}` };
    if (!vmIdPattern.test(text)) return { unknown: `the metadata service at ${url.href} answered something that is not a VM ID` };
    return { vmId: text };
  } catch (e) {
    if (attempt.isExpired()) {
      const bound = Number.isFinite(timeoutMs) ? `${Math.round(timeoutMs / 100) / 10} s` : "the action's time budget";
      return { unknown: `the metadata service at ${url.href} did not answer within ${bound}` };
    }
    const code = errnoCode(e);
    return { unknown: `the metadata service at ${url.href} cannot be reached (${code ?? String(e)})` };
  }
}
