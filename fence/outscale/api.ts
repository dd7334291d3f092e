// SPDX-License-Identifier: Apache-2.0
import type { Logger } from '../../lib/log/index.js';
import { type Deadline, sleep } from '../../lib/time/index.js';
import type { Credentials } from './credentials.js';
import { OutscaleApiError } from './errors.js';
import { ProxyRefused, sendHttp, type HttpResponse } from './http.js';
import { backoffMs, fencingBackoff, isRetryableStatus, type BackoffPolicy } from './retry.js';
import { signRequest, type SignatureVersion } from './sign.js';
import { errnoCode, isRecord, messageOf } from '../../lib/unknown/index.js';

/** Where and how the client talks to the API; resolved once per call of the agent. */
export interface ApiSettings {
  /** The API base, e.g. https://api.eu-west-2.outscale.com/api/v1; actions are appended. */
  readonly endpoint: URL;
  readonly region: string;
  readonly credentials: Credentials;
  readonly signatureVersion: SignatureVersion;
  /**
   * Each HTTP request gets at most this long, so one stuck call never uses the whole budget.
   * Infinity (shell_timeout=0): only the action's deadline bounds it.
   */
  readonly requestTimeoutMs: number;
  /** Tries after the first one, for retryable failures only. */
  readonly maxRetries: number;
  readonly proxy?: URL;
  /** Trusted certificate authorities when ca_file is set (the system ones included). */
  readonly ca?: readonly string[];
  readonly backoff?: BackoffPolicy;
}

const contentType = 'application/json; charset=utf-8';

/** A signed JSON-over-HTTPS client for the Outscale API (OAPI): one POST per action, with retries. */
export class OutscaleApi {
  constructor(
    readonly settings: ApiSettings,
    private readonly log: Logger,
  ) {}

  /**
   * Calls `action` with `body` and returns the decoded JSON answer. Retries throttling, 5xx
   * and network failures with backoff while the deadline allows; never retries 401/403.
   */
  async call(action: string, body: Readonly<Record<string, unknown>>, deadline: Deadline): Promise<unknown> {
    const policy = this.settings.backoff ?? fencingBackoff;
    for (let retry = 0; ; retry++) {
      try {
        return await this.callOnce(action, body, deadline);
      } catch (e) {
        if (!(e instanceof OutscaleApiError) || !e.transient || retry >= this.settings.maxRetries) throw e;
        const waitMs = backoffMs(retry + 1, policy, Math.random, e.fields.retryAfterS);
        // Leave room for the next attempt to get an answer, or stop now with the real error.
        if (deadline.remainingMs() < waitMs + 200) throw e;
        this.log.warn(`${e.message}; retry ${retry + 1} of ${this.settings.maxRetries} in ${waitMs} ms`);
        await sleep(waitMs, deadline);
      }
    }
  }

  private async callOnce(action: string, body: Readonly<Record<string, unknown>>, deadline: Deadline): Promise<unknown> {
    const url = new URL(`${this.settings.endpoint.href.replace(/\/+$/, '')}/${action}`);
    const text = JSON.stringify(body);
    const { credentials } = this.settings;
    const auth = signRequest({
      method: 'POST',
      host: url.host,
      path: url.pathname,
      contentType,
      body: text,
      region: this.settings.region,
      service: 'api',
      accessKey: credentials.accessKey,
      secretKey: credentials.secretKey.reveal(),
      date: new Date(),
      version: this.settings.signatureVersion,
    });
    if (deadline.isExpired()) throw new OutscaleApiError(action, 'no time left for the request', { transient: true });
    const attempt = deadline.within(this.settings.requestTimeoutMs);
    const startedMs = performance.now();
    let res: HttpResponse;
    try {
      res = await sendHttp({
        url,
        method: 'POST',
        headers: { 'content-type': contentType, host: url.host, 'user-agent': 'fence_outscale', ...auth },
        body: text,
        signal: attempt.signal,
        resolveWithinMs: attempt.remainingMs(),
        ...(this.settings.proxy ? { proxy: this.settings.proxy } : {}),
        ...(this.settings.ca ? { ca: this.settings.ca } : {}),
      });
    } catch (e) {
      throw this.networkError(action, url, e, attempt.isExpired() ? performance.now() - startedMs : undefined);
    }
    this.log.debug(`${action} ${text} -> HTTP ${res.status} in ${performance.now() - startedMs} ms`);
    if (res.status === 200) {
      try {
        return JSON.parse(res.body) as unknown;
      } catch {
        throw new OutscaleApiError(action, `HTTP 200 with an answer that is not JSON from ${url.host}`, { status: 200, transient: true });
      }
    }
    throw this.httpError(action, res);
  }

  private httpError(action: string, res: HttpResponse): OutscaleApiError {
    const parsed = parseErrorBody(res.body);
    const what = [parsed.type, parsed.code !== undefined ? `code ${parsed.code}` : undefined].filter(Boolean).join(', ');
    let detail = `HTTP ${res.status}${what ? ` (${what})` : ''}${parsed.details ? `: ${parsed.details}` : ''}`;
    if (res.status === 401 || res.status === 403)
      detail +=
        "; check access_key and secret_key, the region and the account's API access rules " +
        '(not retried: repeated bad signatures lock the key)';
    if (res.status === 407) detail += ' from the proxy: check its user and proxy_password_file (not retried)';
    const retryAfter = Number(res.headers['retry-after']);
    return new OutscaleApiError(action, this.redact(detail), {
      status: res.status,
      ...(parsed.code !== undefined ? { code: parsed.code } : {}),
      ...(parsed.type !== undefined ? { type: parsed.type } : {}),
      ...(parsed.requestId !== undefined ? { requestId: parsed.requestId } : {}),
      transient: isRetryableStatus(res.status),
      ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterS: retryAfter } : {}),
    });
  }

  private networkError(action: string, url: URL, e: unknown, timedOutAfterMs: number | undefined): OutscaleApiError {
    const code = errnoCode(e);
    // The name's own limit is the request's: say it was the resolver, not the API, that did not answer.
    if (code === 'EAI_AGAIN')
      return new OutscaleApiError(
        action,
        `cannot reach ${url.host}: ${(e as { hostname?: unknown }).hostname ?? url.hostname}: ${messageOf(e)} ` +
          '(EAI_AGAIN): check endpoint, proxy and the DNS servers of /etc/resolv.conf',
        { transient: true, cause: e },
      );
    if (timedOutAfterMs !== undefined)
      return new OutscaleApiError(
        action,
        `no answer from ${url.host} within ${(timedOutAfterMs / 1000).toFixed(1)} s (request timed out)`,
        { transient: true, cause: e },
      );
    if (e instanceof ProxyRefused)
      return new OutscaleApiError(action, this.redact(`${e.message}${isRetryableStatus(e.status) ? '' : ' (not retried)'}`), {
        status: e.status,
        transient: isRetryableStatus(e.status),
        cause: e,
      });
    if (typeof code === 'string' && isCertificateError(code))
      return new OutscaleApiError(
        action,
        `the TLS certificate of ${url.host} is not trusted (${code}): check endpoint, or set ca_file for a private CA`,
        { transient: false, cause: e },
      );
    // A name that does not exist is a typo, and stays one; a DNS server that did not answer (EAI_AGAIN) may answer next time.
    if (code === 'ENOTFOUND')
      return new OutscaleApiError(
        action,
        `cannot reach ${url.host}: the name ${(e as { hostname?: unknown }).hostname ?? url.hostname} does not exist ` +
          `(ENOTFOUND; not retried): check endpoint and proxy`,
        { transient: false, cause: e },
      );
    const why = code ?? messageOf(e);
    const transient = networkErrorHeals(code);
    return new OutscaleApiError(action, this.redact(`cannot reach ${url.host}: ${why}${transient ? '' : ' (not retried)'}`), {
      transient,
      cause: e,
    });
  }

  // Defence in depth: whatever a server or proxy echoes, no secret (the key, the proxy password) reaches a message.
  private redact(text: string): string {
    const proxyPassword = this.settings.proxy?.password ?? '';
    const secrets = [this.settings.credentials.secretKey.reveal(), proxyPassword, safeDecode(proxyPassword)];
    return secrets.filter((x) => x.length >= 4).reduce((t, x) => t.replaceAll(x, '***'), text);
  }
}

/**
 * Whether a network failure may heal by itself, so a retry is worth it: refused, reset or
 * unreachable connections and a DNS server that did not answer (EAI_AGAIN) may; a name that
 * does not exist (ENOTFOUND, a typo) or an untrusted certificate will fail the same way again.
 */
export function networkErrorHeals(code: string | undefined): boolean {
  if (code === undefined) return true;
  return code !== 'ENOTFOUND' && !isCertificateError(code);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// A certificate that fails verification will fail again: not worth a retry.
function isCertificateError(code: string): boolean {
  return code.includes('CERT') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'ERR_TLS_CERT_ALTNAME_INVALID';
}

/** The fields of an Outscale error body ({Errors:[{Code,Type,Details}],ResponseContext}), or a short plain-text body. */
export function parseErrorBody(body: string): { code?: string; type?: string; details?: string; requestId?: string } {
  try {
    const json = JSON.parse(body) as unknown;
    if (isRecord(json)) {
      const errors = json.Errors;
      const first = Array.isArray(errors) && isRecord(errors[0]) ? errors[0] : undefined;
      const ctx = isRecord(json.ResponseContext) ? json.ResponseContext : undefined;
      const str = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
      const out: { code?: string; type?: string; details?: string; requestId?: string } = {};
      const code = str(first?.Code);
      const type = str(first?.Type);
      const details = str(first?.Details);
      const requestId = str(ctx?.RequestId);
      if (code !== undefined) out.code = code;
      if (type !== undefined) out.type = type;
      if (details !== undefined) out.details = details;
      if (requestId !== undefined) out.requestId = requestId;
      return out;
    }
  } catch {
    // Not JSON (a proxy's page, a plain-text 401): keep a short, printable excerpt.
  }
  const excerpt = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return excerpt ? { details: excerpt } : {};
}
