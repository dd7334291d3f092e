// SPDX-License-Identifier: Apache-2.0
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupWithin, parseGetentHosts } from '../../../../lib/net/index.js';
import { useFakeGetent } from './fake-getent.js';

describe('getent ahosts output', () => {
  const out = '192.0.2.1       STREAM gw.example\n192.0.2.1       DGRAM  \n2001:db8::1     STREAM \n::ffff:192.0.2.1 RAW\n';
  it.each([
    [0, ['192.0.2.1', '2001:db8::1', '::ffff:192.0.2.1']],
    [6, ['192.0.2.1', '2001:db8::1']],
  ] as const)('family %i: each address once, in order (v4-mapped ones left out for 6)', (family, addresses) => {
    expect(parseGetentHosts(out, family)).toEqual(addresses);
  });
});

describe('lookupWithin, through getent', () => {
  const fakeGetent = useFakeGetent();

  it('resolves a name of /etc/hosts', async () => {
    expect(await lookupWithin('localhost', 5000, 4)).toEqual({ addresses: ['127.0.0.1'] });
  });

  it("a name that begins with '-' is a name for getent, not an option (-sfiles would list /etc/hosts)", async () => {
    expect(await lookupWithin('-sfiles', 5000, 4)).toEqual({ failed: 'Name or service not known', notFound: true });
  });

  it('a lookup that does not end is killed at the limit: nothing is left running to hold the agent at its exit', async () => {
    const dir = fakeGetent('echo $$ >"$(dirname "$0")/pid"\nexec sleep 30');
    const started = Date.now();
    expect(await lookupWithin('silent.example', 300)).toEqual({ failed: 'the name did not resolve within 300 ms', notFound: false });
    expect(Date.now() - started).toBeLessThan(2000);
    const pid = readFileSync(join(dir, 'pid'), 'utf8').trim();
    await new Promise((r) => setTimeout(r, 100));
    const state = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] : 'gone';
    expect(['gone', 'Z']).toContain(state);
  });

  it("says getaddrinfo's words when the name has no address", async () => {
    fakeGetent('exit 2');
    expect(await lookupWithin('nosuch.example', 2000)).toEqual({ failed: 'Name or service not known', notFound: true });
  });
});
