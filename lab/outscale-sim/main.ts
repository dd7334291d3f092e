// SPDX-License-Identifier: Apache-2.0
// outscale-sim --config FILE [--port-file FILE] [--log-file FILE] [--port N] [--also-listen ADDR]...
// Starts the Outscale API simulator on 127.0.0.1, writes the chosen port to --port-file and prints it on stdout.
// --proxy-port-file FILE also starts the simulated HTTP proxy (CONNECT and absolute-form, loopback targets) and
// writes its port there. --also-listen serves the API and metadata stub (not the control API) on another local address, same port.
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { startProxy } from './http/proxy.js';
import { startServer } from './http/server.js';
import { Simulator } from './simulator.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      'port-file': { type: 'string' },
      'log-file': { type: 'string' },
      port: { type: 'string' },
      'also-listen': { type: 'string', multiple: true },
      'proxy-port-file': { type: 'string' },
    },
    strict: true,
  });
  if (values.config === undefined) throw new Error('--config FILE is required');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${values.port} is not a port number`);
  const sim = new Simulator(loadConfig(values.config), values['log-file']);
  const server = await startServer(sim, { port, alsoListen: values['also-listen'] ?? [] });
  const proxy = values['proxy-port-file'] === undefined ? undefined : await startProxy(sim);
  if (proxy !== undefined) writePort(values['proxy-port-file']!, proxy.port);
  if (values['port-file'] !== undefined) writePort(values['port-file'], server.port);
  process.stdout.write(`${server.port}\n`);
  process.stderr.write(`outscale-sim: listening on ${server.apiUrl} (${sim.fleet.all().length} VMs, region ${sim.config.region})\n`);
  const stop = (): void => {
    void Promise.all([server.close(), proxy?.close()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// Written then renamed, so a waiting reader never sees a half-written port.
function writePort(file: string, port: number): void {
  writeFileSync(`${file}.tmp`, `${port}\n`);
  renameSync(`${file}.tmp`, file);
}

main().catch((e: unknown) => {
  process.stderr.write(`outscale-sim: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
