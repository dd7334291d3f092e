// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { signRequest, type SignableRequest } from '../../../../fence/outscale/sign.js';

// Vectors computed with osc-sdk-python (OSC4) and aws4fetch (AWS4) when the signer was written.
const base: Omit<SignableRequest, 'version' | 'contentType'> = {
  method: 'POST',
  host: 'api.eu-west-2.outscale.com',
  path: '/api/v1/ReadVms',
  body: '{"Filters":{"VmIds":["i-12345678"]}}',
  region: 'eu-west-2',
  service: 'api',
  accessKey: 'AKEXAMPLE',
  secretKey: 'SKEXAMPLE',
  date: new Date('2025-01-01T12:00:00Z'),
};

describe('request signing', () => {
  it('OSC4-HMAC-SHA256 matches osc-sdk-python', () => {
    const h = signRequest({ ...base, version: 'osc4', contentType: 'application/json; charset=utf-8' });
    expect(h['x-osc-date']).toBe('20250101T120000Z');
    expect(h.authorization).toBe(
      'OSC4-HMAC-SHA256 Credential=AKEXAMPLE/20250101/eu-west-2/api/osc4_request, SignedHeaders=content-type;host;x-osc-date, ' +
        'Signature=cce95e2065c8b43517e1922ce7842c8a321f32f96a24d4f321e23db1c842775c',
    );
  });

  it('AWS4-HMAC-SHA256 matches aws4fetch', () => {
    const h = signRequest({ ...base, version: 'aws4', contentType: 'application/json' });
    expect(h['x-amz-date']).toBe('20250101T120000Z');
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKEXAMPLE/20250101/eu-west-2/api/aws4_request, SignedHeaders=host;x-amz-date, ' +
        'Signature=7574534052e46aff11dc83792acd1928923e07f6a8e59e8edae1ae0bd3ef03a0',
    );
  });

  it('signs the host with its port, so a simulator on 127.0.0.1:PORT verifies', () => {
    const a = signRequest({ ...base, host: '127.0.0.1:8443', version: 'osc4', contentType: 'application/json' });
    const b = signRequest({ ...base, host: '127.0.0.1', version: 'osc4', contentType: 'application/json' });
    expect(a.authorization).not.toBe(b.authorization);
  });

  it('never puts the secret key in the headers', () => {
    const h = signRequest({ ...base, secretKey: 'SKVERYSECRETVALUE', version: 'osc4', contentType: 'application/json' });
    expect(JSON.stringify(h)).not.toContain('SKVERYSECRETVALUE');
  });
});
