// SPDX-License-Identifier: Apache-2.0
// Verifies SigV4-style request signatures in both variants the Outscale API accepts
// (SigV4 as osc-sdk-python signs OSC4 and aws4fetch signs AWS4). Written independently of the agent's signer on purpose:
// the simulator is the second opinion that proves the agent signs correctly.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

interface Variant {
  readonly algorithm: 'AWS4-HMAC-SHA256' | 'OSC4-HMAC-SHA256';
  readonly keyPrefix: 'AWS4' | 'OSC4';
  readonly terminator: 'aws4_request' | 'osc4_request';
  readonly dateHeader: 'x-amz-date' | 'x-osc-date';
}

const variants: readonly Variant[] = [
  { algorithm: 'AWS4-HMAC-SHA256', keyPrefix: 'AWS4', terminator: 'aws4_request', dateHeader: 'x-amz-date' },
  { algorithm: 'OSC4-HMAC-SHA256', keyPrefix: 'OSC4', terminator: 'osc4_request', dateHeader: 'x-osc-date' },
];

/** What the server saw: method, the raw request target, headers as sent (name/value pairs) and the raw body. */
export interface ReceivedRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

export interface ParsedAuthorization {
  readonly variant: Variant;
  readonly accessKey: string;
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

export type AuthFailureReason =
  | 'missing-authorization'
  | 'malformed-authorization'
  | 'unknown-algorithm'
  | 'unknown-access-key'
  | 'bad-scope'
  | 'missing-date'
  | 'date-mismatch'
  | 'clock-skew'
  | 'unsigned-header'
  | 'bad-signature';

export type SignatureCheck =
  | { readonly ok: true; readonly accessKey: string; readonly algorithm: string }
  | { readonly ok: false; readonly reason: AuthFailureReason; readonly detail: string; readonly accessKey?: string };

export interface SignatureExpectations {
  /** Secret key for an access key, or undefined when the key is unknown. */
  readonly secretKeyOf: (accessKey: string) => string | undefined;
  readonly region: string;
  readonly services: readonly string[];
  readonly nowMs: number;
  readonly maxSkewMs: number;
}

const authorizationPattern =
  /^(\S+)\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/([^/,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

export function parseAuthorization(header: string): ParsedAuthorization | { readonly problem: AuthFailureReason } {
  const algorithm = header.trim().split(/\s+/, 1)[0] ?? '';
  const variant = variants.find((v) => v.algorithm === algorithm);
  if (variant === undefined) return { problem: 'unknown-algorithm' };
  const m = authorizationPattern.exec(header.trim());
  if (m === null) return { problem: 'malformed-authorization' };
  const [, , accessKey, scopeDate, region, service, terminator, signedHeaders, signature] = m as unknown as string[];
  return {
    variant,
    accessKey: accessKey!,
    scopeDate: scopeDate!,
    region: region!,
    service: service!,
    terminator: terminator!,
    signedHeaders: signedHeaders!.split(';'),
    signature: signature!,
  };
}

/** Checks the Authorization header of a request against the account's secret key. */
export function verifySignature(request: ReceivedRequest, expect: SignatureExpectations): SignatureCheck {
  const authorization = headerValue(request.headers, 'authorization');
  if (authorization === undefined) return fail('missing-authorization', 'no Authorization header');
  const auth = parseAuthorization(authorization);
  if ('problem' in auth)
    return fail(
      auth.problem,
      auth.problem === 'unknown-algorithm'
        ? 'the algorithm must be AWS4-HMAC-SHA256 or OSC4-HMAC-SHA256'
        : 'expected "<ALG> Credential=<AK>/<date>/<region>/<service>/<p>4_request, SignedHeaders=<list>, Signature=<hex>"',
    );
  const withKey = (reason: AuthFailureReason, detail: string): SignatureCheck => ({ ok: false, reason, detail, accessKey: auth.accessKey });

  const secretKey = expect.secretKeyOf(auth.accessKey);
  if (secretKey === undefined) return withKey('unknown-access-key', `access key ${auth.accessKey} does not exist`);
  if (auth.terminator !== auth.variant.terminator)
    return withKey('bad-scope', `the scope must end with ${auth.variant.terminator} for ${auth.variant.algorithm}`);
  if (auth.region !== expect.region) return withKey('bad-scope', `the scope region is ${auth.region}, this endpoint is ${expect.region}`);
  if (!expect.services.includes(auth.service))
    return withKey('bad-scope', `the scope service is ${auth.service}, expected ${expect.services.join(' or ')}`);

  const dateIso = headerValue(request.headers, auth.variant.dateHeader);
  if (dateIso === undefined || !/^\d{8}T\d{6}Z$/.test(dateIso))
    return withKey('missing-date', `${auth.variant.algorithm} needs a ${auth.variant.dateHeader} header in YYYYMMDDTHHMMSSZ form`);
  if (dateIso.slice(0, 8) !== auth.scopeDate)
    return withKey('date-mismatch', `the scope date ${auth.scopeDate} differs from ${auth.variant.dateHeader} ${dateIso}`);
  const skewMs = Math.abs(parseAmzDate(dateIso) - expect.nowMs);
  if (skewMs > expect.maxSkewMs)
    return withKey('clock-skew', `${auth.variant.dateHeader} is ${Math.round(skewMs / 1000)} s away from the server clock`);
  for (const required of ['host', auth.variant.dateHeader])
    if (!auth.signedHeaders.includes(required)) return withKey('unsigned-header', `the ${required} header must be signed`);
  for (const name of auth.signedHeaders)
    if (headerValue(request.headers, name) === undefined) return withKey('unsigned-header', `signed header ${name} is not in the request`);

  const expected = computeSignature(secretKey, auth, request, dateIso);
  if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(auth.signature, 'hex')))
    return withKey('bad-signature', 'the signature does not match the request');
  return { ok: true, accessKey: auth.accessKey, algorithm: auth.variant.algorithm };
}

/** The hex signature a correct client would have sent for this request. */
export function computeSignature(secretKey: string, auth: ParsedAuthorization, request: ReceivedRequest, dateIso: string): string {
  const scope = [auth.scopeDate, auth.region, auth.service, auth.terminator].join('/');
  const stringToSign = [auth.variant.algorithm, dateIso, scope, sha256Hex(canonicalRequest(request, auth.signedHeaders))].join('\n');
  let key: Buffer = hmac(`${auth.variant.keyPrefix}${secretKey}`, auth.scopeDate);
  for (const part of [auth.region, auth.service, auth.terminator]) key = hmac(key, part);
  return hmac(key, stringToSign).toString('hex');
}

export function canonicalRequest(request: ReceivedRequest, signedHeaders: readonly string[]): string {
  const queryAt = request.target.indexOf('?');
  const path = queryAt === -1 ? request.target : request.target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : request.target.slice(queryAt + 1);
  const headerLines = signedHeaders.map((name) => `${name}:${headerValue(request.headers, name) ?? ''}\n`).join('');
  return [
    request.method.toUpperCase(),
    path || '/',
    canonicalQuery(query),
    headerLines,
    signedHeaders.join(';'),
    sha256Hex(request.body),
  ].join('\n');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs = query
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const [k, v] = eq === -1 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
      return [rfc3986(decodeURIComponent(k)), rfc3986(decodeURIComponent(v))] as const;
    });
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** All values of a header (case-insensitive), trimmed, inner whitespace collapsed, joined with ",". */
function headerValue(headers: ReceivedRequest['headers'], name: string): string | undefined {
  const values = headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v.trim().replace(/\s+/g, ' '));
  return values.length === 0 ? undefined : values.join(',');
}

export function parseAmzDate(dateIso: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(dateIso);
  if (m === null) return Number.NaN;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

function fail(reason: AuthFailureReason, detail: string): SignatureCheck {
  return { ok: false, reason, detail };
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
