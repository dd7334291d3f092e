// SPDX-License-Identifier: Apache-2.0
import { connect, isIP, type LookupFunction } from 'node:net';
import { fixedLookup, lookupWithin } from '../../lib/net/index.js';
import type { Deadline } from '../../lib/time/index.js';
import { nameBudgetMs } from './resolve.js';
import type { HostAnswer } from './score.js';

/**
 * A TCP connect to host:port, in this process, for networks that drop ICMP. Only an
 * established connection counts: a refused one means the service is down, whatever the
 * network does. A silent host is given `waitMs` (the kernel resends the SYN meanwhile).
 */
export async function connectTcp(host: string, port: number, waitMs: number, deadline: Deadline): Promise<HostAnswer> {
  if (isIP(host) !== 0) return connectTo(host, port, waitMs, deadline);
  // A name is resolved first, in a child killed at the limit: connect's own lookup could hold the exit.
  const r = await lookupWithin(host, nameBudgetMs(waitMs, deadline));
  if ('failed' in r) return { reachable: false, detail: r.failed };
  return connectTo(host, port, waitMs, deadline, fixedLookup(r.addresses));
}

function connectTo(host: string, port: number, waitMs: number, deadline: Deadline, lookup?: LookupFunction): Promise<HostAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, ...(lookup ? { lookup } : {}) });
    const finish = (answer: HostAnswer): void => {
      clearTimeout(timer);
      deadline.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(answer);
    };
    const onAbort = (): void => finish({ reachable: false, detail: 'no connection before the end of the time budget' });
    const timer = setTimeout(() => finish({ reachable: false, detail: `no connection within ${waitMs} ms` }), waitMs);
    if (deadline.signal.aborted) return onAbort();
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish({ reachable: true, detail: 'connected' }));
    socket.once('error', (e: NodeJS.ErrnoException) => finish({ reachable: false, detail: e.code ?? e.message }));
  });
}
