// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baseConfig, sleep, startHarness, waitForState, type Harness } from './sim-harness.js';

let dir: string;
let h: Harness | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outscale-sim-hooks-'));
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function waitForFile(path: string, timeoutMs = 3000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > until) throw new Error(`${path} was not created`);
    await sleep(20);
  }
  return readFileSync(path, 'utf8');
}

/** The simulator with one VM, i-0000000a, running, that runs HOOKS. */
function startWithHooks(hooks: { onStopped?: string[]; onRunning?: string[] }): Promise<Harness> {
  return startHarness(baseConfig({ vms: [{ vmId: 'i-0000000a', state: 'running', hooks }] }));
}

describe('lab hooks', () => {
  it('runs onStopped when the VM reaches stopped and onRunning when it is back, as argv', async () => {
    const stopped = join(dir, 'stopped with space');
    const running = join(dir, 'running');
    h = await startWithHooks({ onStopped: ['/usr/bin/touch', stopped], onRunning: ['/usr/bin/touch', running] });
    await h.call('StopVms', { VmIds: ['i-0000000a'], ForceStop: true });
    await waitForState(h, 'i-0000000a', 'stopped');
    await waitForFile(stopped);
    const stoppedSince = ((await h.get('/_sim/vms')).json as { stateSince: string }[])[0]!.stateSince;
    expect(((await h.get('/_sim/hooks')).json as { startedAt: string }[])[0]!.startedAt >= stoppedSince).toBe(true);
    expect(existsSync(running)).toBe(false);
    await h.call('StartVms', { VmIds: ['i-0000000a'] });
    await waitForState(h, 'i-0000000a', 'running');
    await waitForFile(running);
    const hooks = (await h.get('/_sim/hooks')).json as { event: string; exitCode: number | null }[];
    expect(hooks.map((x) => x.event)).toEqual(['onStopped', 'onRunning']);
  });

  it('gives the hook the VM ID and state in its environment, and records a failing hook', async () => {
    const out = join(dir, 'env');
    h = await startWithHooks({ onStopped: ['/bin/sh', '-c', 'echo "$SIM_VM_ID $SIM_VM_STATE" > "$0"; exit 3', out] });
    await h.call('StopVms', { VmIds: ['i-0000000a'], ForceStop: true });
    expect((await waitForFile(out)).trim()).toBe('i-0000000a stopped');
    await sleep(100);
    const hooks = (await h.get('/_sim/hooks')).json as { exitCode: number | null; finished: boolean }[];
    expect(hooks[0]).toMatchObject({ exitCode: 3, finished: true });
  });

  it('records a hook whose program does not exist', async () => {
    h = await startWithHooks({ onStopped: ['/nonexistent/program'] });
    await h.call('StopVms', { VmIds: ['i-0000000a'], ForceStop: true });
    await waitForState(h, 'i-0000000a', 'stopped');
    await sleep(100);
    const hooks = (await h.get('/_sim/hooks')).json as { error?: string }[];
    expect(hooks[0]?.error).toMatch(/ENOENT/);
  });
});
