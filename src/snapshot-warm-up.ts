// SPDX-License-Identifier: Apache-2.0
import { runAction } from '../lib/ocf/index.js';
import type { ResourceAgent } from '../lib/ocf/define.js';

/**
 * Runs, while the build takes the startup snapshot, what agents run most often and can run there
 * without touching the host: V8 compiles a function at its first call and the snapshot keeps the
 * bytecode of every function compiled by then (packaging/sea-snapshot.ts), so each run starts
 * with these compiled instead of parsing them again (bench/README.md).
 * - each resource agent's meta-data: pure, no environment, no system;
 * - a vip monitor of an address no host holds (192.0.2.254, TEST-NET-1) on lo: it reads the state
 *   directory it is given (an absent one), /sys/class/net and the address list, and writes
 *   nothing. It covers the kit's path of every action (environment, parameters, deadline,
 *   logger, tools, outcome) and the most frequent action of all. Its answer does not matter.
 * Monitors of vm and ping run programs, so they are not run here.
 */
export async function warmUp(resourceAgents: Readonly<Record<string, () => Promise<ResourceAgent>>>): Promise<void> {
  const discard = { out: () => {}, err: () => {} };
  await Promise.all(Object.values(resourceAgents).map(async (load) => runAction(await load(), 'meta-data', {}, discard)));
  const vip = resourceAgents.vip;
  if (vip === undefined) return;
  const env = {
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: 'snapshot-warm-up',
    OCF_RESKEY_ip: '192.0.2.254',
    OCF_RESKEY_cidr_netmask: '32',
    OCF_RESKEY_nic: 'lo',
    OCF_RESKEY_CRM_meta_interval: '10000',
    HA_RSCTMP: '/nonexistent/snapshot-warm-up',
  };
  await withoutAbortTimers(async () => runAction(await vip(), 'monitor', env, discard));
}

/**
 * AbortSignal.timeout and AbortSignal.any register their signals in FinalizationRegistries, and a
 * timeout's timer would stay pending in the snapshot. V8 refuses to take a snapshot while a
 * registry has cleanups due (the build aborts), and a timer from the build would fire in every
 * run. For the warm-up they hand out signals that never abort; the code they compile is the same.
 */
async function withoutAbortTimers<T>(work: () => Promise<T>): Promise<T> {
  const { timeout, any } = AbortSignal;
  const neverAborts = (): AbortSignal => new AbortController().signal;
  AbortSignal.timeout = neverAborts;
  AbortSignal.any = neverAborts;
  try {
    return await work();
  } finally {
    AbortSignal.timeout = timeout;
    AbortSignal.any = any;
  }
}
