// SPDX-License-Identifier: Apache-2.0
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTcp } from '../../../../agents/ping/tcp.js';
import { Deadline } from '../../../../lib/time/index.js';
import { useFakeGetent } from '../../lib/net/fake-getent.js';

let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((socket) => socket.end());
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as { port: number }).port;
});
afterAll(() => server.close());

describe('tcp:NAME:PORT entries', () => {
  const fakeGetent = useFakeGetent();

  it('a name is connected to through the addresses getent found, each in turn, as connect tries its own', async () => {
    fakeGetent("printf '::1 STREAM svc.example\\n127.0.0.1 STREAM\\n'"); // nothing listens on ::1
    expect(await connectTcp('svc.example', port, 2000, Deadline.after(5000))).toEqual({ reachable: true, detail: 'connected' });
  });

  it('a name getent does not know is unreachable, with why', async () => {
    fakeGetent('exit 2');
    expect(await connectTcp('nosuch.example', port, 500, Deadline.after(5000))).toEqual({
      reachable: false,
      detail: 'Name or service not known',
    });
  });

  it('an address is connected to directly', async () => {
    expect(await connectTcp('127.0.0.1', port, 1000, Deadline.after(5000))).toEqual({ reachable: true, detail: 'connected' });
  });
});
