// SPDX-License-Identifier: Apache-2.0
// The HTTP server: routes /api/v1/<Operation>, /latest/meta-data/*, and the loopback-only /_sim/* control API.
// It always listens on 127.0.0.1; extra addresses (e.g. a lab bridge that node namespaces reach) serve the API
// and the metadata stub on the same port, never the control API.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { apiErrors, errorBody } from '../api/api-errors.js';
import { handleApiCall } from '../api/api-route.js';
import { handleControl } from './control-routes.js';
import { isLoopback, readBody, sendJson } from './http-io.js';
import { handleMetadata } from './metadata-stub.js';
import { isOperation } from '../api/operations-list.js';
import type { Simulator } from '../simulator.js';

export interface RunningServer {
  readonly port: number;
  /** The API base URL on 127.0.0.1, as an agent's endpoint option takes it. */
  readonly apiUrl: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** 0 (default) picks an ephemeral port. */
  readonly port?: number;
  readonly alsoListen?: readonly string[];
  /** Serve HTTPS with this PEM certificate and key (tests of certificate checks and CONNECT tunnels). */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export async function startServer(sim: Simulator, options: ServerOptions = {}): Promise<RunningServer> {
  const servers: Server[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((done) => {
            s.closeAllConnections(); // hung requests would otherwise keep the server open
            s.close(() => done());
          }),
      ),
    );
  };
  try {
    const port = await listen(sim, servers, '127.0.0.1', options.port ?? 0, options.tls);
    for (const host of options.alsoListen ?? []) await listen(sim, servers, host, port, options.tls);
    return { port, apiUrl: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/api/v1`, close };
  } catch (e) {
    await close();
    throw e;
  }
}

function listen(sim: Simulator, servers: Server[], host: string, port: number, tls: ServerOptions['tls']): Promise<number> {
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    route(sim, req, res).catch((e: unknown) => {
      process.stderr.write(`outscale-sim: internal error on ${req.method} ${req.url}: ${(e as Error).stack ?? String(e)}\n`);
      if (!res.headersSent) sendJson(res, 500, errorBody(apiErrors.internal(), randomUUID()));
      else res.destroy();
    });
  };
  const server: Server = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, handler) : createServer(handler);
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

async function route(sim: Simulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').split('?', 1)[0]!;
  const body = await readBody(req);
  if (path.startsWith('/_sim/') || path === '/_sim') {
    if (!isLoopback(req.socket.remoteAddress) || !isLoopback(req.socket.localAddress))
      return sendJson(res, 403, { error: 'the control API is for loopback clients only' });
    return handleControl(sim, method, path, body, res);
  }
  const operation = /^\/api\/v1\/([A-Za-z]+)$/.exec(path)?.[1];
  const entry = sim.log.begin(method, path, operation);
  if (path.startsWith('/latest/')) return handleMetadata(sim, method, path, res, entry, req.socket.remoteAddress);
  if (operation === undefined || method !== 'POST' || !isOperation(operation)) {
    const error = apiErrors.unknownOperation(operation === undefined ? `${method} ${path}` : `${method} ${operation}`);
    sim.log.finish(entry, error.status, error.item.Code);
    return sendJson(res, error.status, errorBody(error, randomUUID()));
  }
  return handleApiCall(sim, req, res, body, operation, entry);
}
