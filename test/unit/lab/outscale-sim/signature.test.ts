// SPDX-License-Identifier: Apache-2.0
// Vectors computed with osc-sdk-python, aws4fetch and npm aws4 when the signer was written.
import { describe, expect, it } from 'vitest';
import { verifySignature, type ReceivedRequest, type SignatureExpectations } from '../../../../lab/outscale-sim/auth/signature.js';

const body = '{"Filters":{"VmIds":["i-12345678"]}}';
const host = 'api.eu-west-2.outscale.com';
const dateIso = '20250101T120000Z';
const scope = 'AKEXAMPLE/20250101/eu-west-2/api';

const vectors = {
  osc4: {
    authorization:
      `OSC4-HMAC-SHA256 Credential=${scope}/osc4_request, SignedHeaders=content-type;host;x-osc-date, ` +
      'Signature=cce95e2065c8b43517e1922ce7842c8a321f32f96a24d4f321e23db1c842775c',
    headers: [
      ['Content-Type', 'application/json; charset=utf-8'],
      ['Host', host],
      ['X-Osc-Date', dateIso],
    ],
  },
  aws4: {
    authorization:
      `AWS4-HMAC-SHA256 Credential=${scope}/aws4_request, SignedHeaders=host;x-amz-date, ` +
      'Signature=7574534052e46aff11dc83792acd1928923e07f6a8e59e8edae1ae0bd3ef03a0',
    headers: [
      ['Content-Type', 'application/json'],
      ['Host', host],
      ['X-Amz-Date', dateIso],
    ],
  },
  aws4WithContentLength: {
    authorization:
      `AWS4-HMAC-SHA256 Credential=${scope}/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date, ` +
      'Signature=4e241e9410e521248f7a9aa6ef669251cb1ddc35fab56b078eadc46b1c9c6349',
    headers: [
      ['Content-Length', String(Buffer.byteLength(body))],
      ['Content-Type', 'application/json'],
      ['Host', host],
      ['X-Amz-Date', dateIso],
    ],
  },
} as const;

const expectations: SignatureExpectations = {
  secretKeyOf: (ak) => (ak === 'AKEXAMPLE' ? 'SKEXAMPLE' : undefined),
  region: 'eu-west-2',
  services: ['api'],
  nowMs: Date.UTC(2025, 0, 1, 12, 1, 0),
  maxSkewMs: 5 * 60_000,
};

function request(v: (typeof vectors)[keyof typeof vectors], change: Partial<ReceivedRequest> = {}): ReceivedRequest {
  return {
    method: 'POST',
    target: '/api/v1/ReadVms',
    headers: [...v.headers, ['Authorization', v.authorization]],
    body: Buffer.from(body),
    ...change,
  };
}

describe('signature verification', () => {
  it.each(Object.entries(vectors))('accepts the %s research vector', (_name, v) => {
    expect(verifySignature(request(v), expectations)).toEqual({
      ok: true,
      accessKey: 'AKEXAMPLE',
      algorithm: v.authorization.split(' ')[0],
    });
  });

  it.each([
    ['a changed body', { body: Buffer.from('{"Filters":{"VmIds":["i-87654321"]}}') }, 'bad-signature'],
    ['another operation path', { target: '/api/v1/StopVms' }, 'bad-signature'],
    ['another method', { method: 'PUT' }, 'bad-signature'],
  ] as const)('rejects %s as a bad signature', (_what, change, reason) => {
    expect(verifySignature(request(vectors.osc4, change), expectations)).toMatchObject({ ok: false, reason });
  });

  it('rejects a changed signed header value', () => {
    const headers = vectors.aws4.headers.map(([n, v]) => [n, n === 'Host' ? 'api.us-east-2.outscale.com' : v] as const);
    const r = request(vectors.aws4, { headers: [...headers, ['Authorization', vectors.aws4.authorization]] });
    expect(verifySignature(r, expectations)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('ignores unsigned headers', () => {
    const r = request(vectors.aws4);
    const withExtra = { ...r, headers: [...r.headers, ['User-Agent', 'anything'] as const] };
    expect(verifySignature(withExtra, expectations).ok).toBe(true);
  });

  it('rejects an unknown access key, and names it', () => {
    const r = request(vectors.osc4);
    expect(verifySignature(r, { ...expectations, secretKeyOf: () => undefined })).toMatchObject({
      ok: false,
      reason: 'unknown-access-key',
      accessKey: 'AKEXAMPLE',
    });
  });

  it('rejects a wrong secret key as a bad signature', () => {
    expect(verifySignature(request(vectors.osc4), { ...expectations, secretKeyOf: () => 'OTHER' })).toMatchObject({
      ok: false,
      reason: 'bad-signature',
      accessKey: 'AKEXAMPLE',
    });
  });

  it('rejects a request more than 5 minutes away from the server clock', () => {
    expect(verifySignature(request(vectors.aws4), { ...expectations, nowMs: Date.UTC(2025, 0, 1, 12, 5, 1) })).toMatchObject({
      ok: false,
      reason: 'clock-skew',
    });
  });

  it('rejects a scope for another region or service', () => {
    expect(verifySignature(request(vectors.aws4), { ...expectations, region: 'us-east-2' })).toMatchObject({
      ok: false,
      reason: 'bad-scope',
    });
    expect(verifySignature(request(vectors.aws4), { ...expectations, services: ['oapi'] })).toMatchObject({
      ok: false,
      reason: 'bad-scope',
    });
  });

  it('rejects mixing the AWS4 algorithm with the OSC4 scope terminator', () => {
    const authorization = vectors.aws4.authorization.replace('aws4_request', 'osc4_request');
    const r = request(vectors.aws4, { headers: [...vectors.aws4.headers, ['Authorization', authorization]] });
    expect(verifySignature(r, expectations)).toMatchObject({ ok: false, reason: 'bad-scope' });
  });

  it('requires the date header of the chosen variant', () => {
    const headers = [
      ['Host', host],
      ['X-Amz-Date', dateIso],
      ['Authorization', vectors.osc4.authorization.replace('content-type;host;x-osc-date', 'host;x-osc-date')],
    ] as const;
    expect(verifySignature(request(vectors.osc4, { headers }), expectations)).toMatchObject({ ok: false, reason: 'missing-date' });
  });

  it('requires host and the date header to be signed', () => {
    const authorization = vectors.aws4.authorization.replace('SignedHeaders=host;x-amz-date', 'SignedHeaders=x-amz-date');
    const r = request(vectors.aws4, { headers: [...vectors.aws4.headers, ['Authorization', authorization]] });
    expect(verifySignature(r, expectations)).toMatchObject({ ok: false, reason: 'unsigned-header' });
  });

  it.each([
    ['no Authorization header', undefined, 'missing-authorization'],
    ['basic auth', 'Basic dXNlcjpwYXNz', 'unknown-algorithm'],
    ['a truncated header', 'OSC4-HMAC-SHA256 Credential=AKEXAMPLE/20250101', 'malformed-authorization'],
  ] as const)('rejects %s', (_what, authorization, reason) => {
    const headers = [...vectors.osc4.headers, ...(authorization === undefined ? [] : [['Authorization', authorization] as const])];
    expect(verifySignature(request(vectors.osc4, { headers }), expectations)).toMatchObject({ ok: false, reason });
  });
});
