// SPDX-License-Identifier: Apache-2.0
import { ExecFailed, lastLines, query } from '../../lib/exec/index.js';
import { sleep, type Deadline } from '../../lib/time/index.js';
import { Ocf, OcfError } from '../../lib/ocf/index.js';
import { wordsOf } from '../../lib/spec/index.js';

/** monitor_scripts as VirtualDomain reads them: programs separated by spaces. */
export function monitorScriptsOf(value: string | undefined): string[] {
  return wordsOf(value);
}

/**
 * Runs the monitor scripts in order, as VirtualDomain does after a successful status check; the
 * first that fails (or cannot run) fails the monitor with ERR_GENERIC naming it.
 */
export async function runMonitorScripts(scripts: readonly string[], name: string, deadline: Deadline): Promise<void> {
  for (const script of scripts) {
    try {
      await query([script], { deadline });
    } catch (e) {
      if (!(e instanceof ExecFailed)) throw e;
      const why = e.notFound
        ? 'cannot be run (not found)'
        : e.timedOut
          ? 'did not finish in time'
          : `exited ${e.exitCode ?? 'abnormally'}${e.stderr.trim() ? `: ${lastLines(e.stderr, 2)}` : ''}`;
      throw new OcfError(Ocf.ERR_GENERIC, `monitor script ${script} of ${name} ${why}`, { cause: e });
    }
  }
}

/** Start and migrate_from wait, within `deadline`, until the monitor scripts pass. */
export async function waitForMonitorScripts(scripts: readonly string[], name: string, deadline: Deadline): Promise<void> {
  for (;;) {
    try {
      return await runMonitorScripts(scripts, name, deadline);
    } catch (e) {
      if (deadline.remainingMs() < 1500) throw e;
      await sleep(1000, deadline);
    }
  }
}
