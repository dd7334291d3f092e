// SPDX-License-Identifier: Apache-2.0
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ocf, OcfError, type ResourceContext } from '../../lib/ocf/index.js';
import { sortFpingOptions } from './fping-options.js';
import { hostListWarnings, icmpHosts, parseHostList } from './host-list.js';
import { checkIputilsOptions } from './iputils-options.js';
import { icmpTool, installedIcmpTool } from './probe.js';
import { splitOptions, useFping } from './settings.js';
import type { PingParams } from './spec.js';
import { errnoCode } from '../../lib/unknown/index.js';

/**
 * Consistency of the parameters alone: an empty host_list is wrong on every node (6). What the
 * stock agent survives (commas, a malformed entry, use_fping=2, a pidfile, timeout=0) is warned
 * about and the agent goes on. Stop and monitor skip it: stop removes the state and the attribute
 * whatever the parameters say, as the stock agent's stop does, and monitor answers from the state.
 */
export function validate(p: PingParams, ctx: ResourceContext): void {
  if (ctx.action === 'stop' || ctx.action === 'monitor') return;
  const targets = parseHostList(p.host_list);
  for (const w of hostListWarnings(p.host_list, targets)) ctx.log.warn(w);
  const fping = useFping(p, ctx.log);
  if (p.pidfile !== undefined)
    ctx.log.warn(`pidfile '${p.pidfile}' is ignored: this agent keeps its state file under HA_RSCTMP, named after the resource instance`);
  if (p.timeout?.note !== undefined) ctx.log.warn(p.timeout.note);
  if (p.options !== undefined && icmpHosts(targets).length > 0 && installedIcmpTool(fping) === 'ping') {
    const why = fping ? 'fping is not installed on this node' : 'use_fping is false';
    ctx.log.warn(
      `options '${p.options.trim()}' go to iputils ping, not fping (${why}): they must be ping's options ` +
        "(fping's -B, -r or -t mean something else to ping)",
    );
  }
}

/**
 * What this node needs (start, and validate-all at OCF_CHECK_LEVEL=10): a writable state directory
 * (2, as stock), fping or ping when ICMP hosts are listed (5), and options that this node's tool
 * takes (2: another node may use the other tool).
 */
export async function validateHost(p: PingParams, ctx: ResourceContext): Promise<void> {
  checkStateDirectory(ctx.rsctmp);
  if (icmpHosts(parseHostList(p.host_list)).length > 0) {
    const options = splitOptions(p);
    if (icmpTool(useFping(p)) === 'fping') sortFpingOptions(options);
    else checkIputilsOptions(options);
  }
}

function checkStateDirectory(dir: string): void {
  const probe = join(dir, `.seapath-ping-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    const why = errnoCode(e) ?? String(e);
    throw new OcfError(
      Ocf.ERR_ARGS,
      `the state directory ${dir} (HA_RSCTMP) is not writable on this node (${why}): the agent keeps its state file there`,
    );
  }
}
