// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { resolveHosts } from '../../../../agents/ping/resolve.js';

const silent = (): Promise<string[]> => new Promise(() => undefined);
const notFound = (): Promise<string[]> => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));

describe('host names resolved before fping, within the timeout', () => {
  it('passes addresses through and counts a name the resolver does not answer in time as unreachable', async () => {
    const lookUp = (name: string): Promise<string[]> => (name === 'gw.example' ? Promise.resolve(['192.0.2.1', '192.0.2.2']) : silent());
    const r = await resolveHosts(['192.0.2.9', '2001:db8::1', 'gw.example', 'slow.example'], 0, 50, lookUp);
    expect(Object.fromEntries(r)).toEqual({
      '192.0.2.9': { address: '192.0.2.9' },
      '2001:db8::1': { address: '2001:db8::1' },
      'gw.example': { address: '192.0.2.1' },
      'slow.example': { unresolved: { reachable: false, detail: 'the name did not resolve within 50 ms' } },
    });
  });

  it('says why a name has no address, as fping says it', async () => {
    const r = await resolveHosts(['nosuch.invalid'], 0, 1000, notFound);
    expect(r.get('nosuch.invalid')).toEqual({ unresolved: { reachable: false, detail: 'Name or service not known' } });
  });

  it('asks for the family that -4 or -6 asks fping for', async () => {
    const asked: number[] = [];
    await resolveHosts(['gw.example'], 6, 1000, (_, family) => {
      asked.push(family);
      return Promise.resolve(['2001:db8::1']);
    });
    expect(asked).toEqual([6]);
  });
});
