// SPDX-License-Identifier: Apache-2.0
import { connect } from 'node:net';
import type { Deadline } from '../../lib/time/index.js';
import { nameBudgetMs, resolveHosts } from './resolve.js';
import type { HostAnswer } from './score.js';

/**
 * A TCP connect to host:port, in this process, for networks that drop ICMP. Only an
 * established connection counts: a refused one means the service is down, whatever the
 * network does. A silent host is given `waitMs` (the kernel resends the SYN meanwhile).
 */
export async function connectTcp(host: string, port: number, waitMs: number, deadline: Deadline): Promise<HostAnswer> {
  // A name is resolved first, in a child killed at the limit: connect's own lookup could hold the exit.
  const [resolved] = (await resolveHosts([host], 0, nameBudgetMs(waitMs, deadline))).values();
  if (resolved === undefined || 'unresolved' in resolved) return resolved?.unresolved ?? { reachable: false, detail: 'no address' };
  return connectTo(resolved.address, port, waitMs, deadline);
}

function connectTo(host: string, port: number, waitMs: number, deadline: Deadline): Promise<HostAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
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
