// SPDX-License-Identifier: Apache-2.0
import { createHash, createHmac } from 'node:crypto';

/**
 * The two request signatures the Outscale API accepts. OSC4 is SigV4 with three substitutions:
 * the OSC4 prefix, the osc4_request scope end and the x-osc-date header.
 */
export type SignatureVersion = 'osc4' | 'aws4';

interface Variant {
  readonly prefix: 'OSC4' | 'AWS4';
  readonly dateHeader: 'x-osc-date' | 'x-amz-date';
  readonly terminator: 'osc4_request' | 'aws4_request';
  /**
   * Headers signed besides host and the date, as the clients known to work with the real API
   * sign them: osc-sdk-python signs content-type with OSC4; aws4fetch (osc-sdk-js) signs only
   * host and x-amz-date with AWS4.
   */
  readonly alsoSigned: readonly string[];
}

const variants: Readonly<Record<SignatureVersion, Variant>> = {
  osc4: { prefix: 'OSC4', dateHeader: 'x-osc-date', terminator: 'osc4_request', alsoSigned: ['content-type'] },
  aws4: { prefix: 'AWS4', dateHeader: 'x-amz-date', terminator: 'aws4_request', alsoSigned: [] },
};

/** Everything a signature covers. `host` is the Host header as sent, with a non-default port. */
export interface SignableRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
  readonly region: string;
  readonly service: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly date: Date;
  readonly version: SignatureVersion;
}

/** The headers to add to the request: the date header and Authorization. */
export function signRequest(r: SignableRequest): Record<string, string> {
  const v = variants[r.version];
  const dateIso = r.date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, ''); // 20250101T120000Z
  const day = dateIso.slice(0, 8);
  const headers: Record<string, string> = { host: r.host, [v.dateHeader]: dateIso, 'content-type': r.contentType };
  const signed = ['host', v.dateHeader, ...v.alsoSigned].sort();
  const canonicalHeaders = signed.map((h) => `${h}:${(headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = signed.join(';');
  const canonicalRequest = [r.method.toUpperCase(), r.path, '', canonicalHeaders, signedHeaders, sha256Hex(r.body)].join('\n');
  const scope = `${day}/${r.region}/${r.service}/${v.terminator}`;
  const stringToSign = [`${v.prefix}-HMAC-SHA256`, dateIso, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = [day, r.region, r.service, v.terminator].reduce<Buffer>((k, part) => hmac(k, part), Buffer.from(`${v.prefix}${r.secretKey}`));
  const signature = hmac(key, stringToSign).toString('hex');
  return {
    [v.dateHeader]: dateIso,
    authorization: `${v.prefix}-HMAC-SHA256 Credential=${r.accessKey}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}
