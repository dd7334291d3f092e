// SPDX-License-Identifier: Apache-2.0
// fence_outscale (in-process, as pacemaker-fenced runs it: stdin, PCMK_service) against the Outscale API
// simulator: a fence must be real and must not destroy the node; every action is bounded.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runFenceAgent } from '../../../../lib/fence/index.js';
import { fenceOutscale } from '../../../../fence/outscale/index.js';
import { accessKey, baseConfig, secretKey, startHarness, type Harness } from '../../lab/outscale-sim/sim-harness.js';

const vms = [
  { vmId: 'i-0000000a', state: 'running', tags: { Name: 'node1', Cluster: 'lab' } },
  { vmId: 'i-0000000b', state: 'running', tags: { Name: 'node2', Cluster: 'lab' } },
  { vmId: 'i-0000000c', state: 'stopped', tags: { Name: 'node3', Cluster: 'lab' } },
  { vmId: 'i-0000000d', state: 'terminated', tags: { Name: 'gone' } },
  { vmId: 'i-0000000e', state: 'running', tags: { Name: 'doomed', Cluster: 'risky' }, shutdownBehavior: 'terminate' },
  { vmId: 'i-0000000f', state: 'running', tags: { Name: 'phoenix', Cluster: 'risky' }, shutdownBehavior: 'restart' },
  { vmId: 'i-00000010', state: 'stopping', tags: { Name: 'sinking' } },
  { vmId: 'i-00000011', state: 'shutting-down', tags: { Name: 'deleting' } },
  { vmId: 'i-00000012', state: 'running', tags: { Name: 'spare' } },
  { vmId: 'i-00000013', state: 'running', tags: { Name: 'filler' } },
  { vmId: 'i-00000014', state: 'running', tags: { Name: 'twin' } },
  { vmId: 'i-00000015', state: 'running', tags: { Name: 'filler2' } },
  { vmId: 'i-00000016', state: 'running', tags: { Name: 'twin' } },
  { vmId: 'i-00000017', state: 'running', tags: { Name: 'solo', Cluster: 'lab' } },
  { vmId: 'i-00000018', state: 'running', tags: { Name: 'solo', Cluster: 'other' } },
  { vmId: 'i-00000019', state: 'running', tags: { Name: 'dup', Cluster: 'pair' } },
  { vmId: 'i-0000001a', state: 'running', tags: { Name: 'dup', Cluster: 'pair' } },
  // A node whose VM was replaced: the old one, deleted, kept its tags; the new one lacks the filter's.
  { vmId: 'i-0000001b', state: 'terminated', tags: { Name: 'reborn', Cluster: 'lab' } },
  { vmId: 'i-0000001c', state: 'running', tags: { Name: 'reborn' } },
  // The same, the old VM kept stopped rather than deleted.
  { vmId: 'i-0000001d', state: 'stopped', tags: { Name: 'rebuilt', Cluster: 'lab' } },
  { vmId: 'i-0000001e', state: 'running', tags: { Name: 'rebuilt' } },
  // A VM set to terminate on shutdown that did: deleted, so off.
  { vmId: 'i-0000001f', state: 'terminated', tags: { Name: 'ended' }, shutdownBehavior: 'terminate' },
];

let h: Harness;
beforeAll(async () => {
  // Small pages, as a large account gets them: a client that ignores NextPageToken misses VMs.
  h = await startHarness(
    baseConfig({
      vms,
      timings: { stopMs: 400, forceStopMs: 150, startMs: 150 },
      paging: { defaultResultsPerPage: 3, maxResultsPerPage: 3 },
    }),
  );
});
afterAll(() => h.close());
afterEach(() => {
  // Every request the agent sent follows the spec's schemas.
  expect(
    h.sim.log
      .list()
      .filter((e) => e.schemaViolations !== undefined)
      .map((e) => e.schemaViolations),
  ).toEqual([]);
  h.sim.reset();
});

function agent(lines: readonly string[], env: Record<string, string> = {}) {
  const stdin = [
    `endpoint=${h.server.apiUrl}`,
    `metadata_url=http://127.0.0.1:${h.server.port}/latest/meta-data`,
    `access_key=${accessKey}`,
    `secret_key=${secretKey}`,
    'region=eu-west-2',
    'stonith_status_sleep=0.05',
    ...lines,
  ].join('\n');
  return runFenceAgent(fenceOutscale, { argv: [], stdin, env: { HOME: '/nonexistent', PCMK_service: 'pacemaker-fenced', ...env } });
}

const requests = (operation?: string) => h.sim.log.list().filter((e) => operation === undefined || e.operation === operation);
const stateOf = (vmId: string) => h.sim.fleet.get(vmId)?.state;
const setFaults = (faults: unknown) => h.sim.setFaults(faults);

describe('a stop that would destroy the VM is refused', () => {
  it.each([
    ['off', 'doomed', 'i-0000000e', 'terminate'],
    ['reboot', 'doomed', 'i-0000000e', 'terminate'],
    ['off', 'phoenix', 'i-0000000f', 'restart'],
    ['reboot', 'phoenix', 'i-0000000f', 'restart'],
  ])(
    '%s of %s (VmInitiatedShutdownBehavior=%s) exits 1 naming the VM and the fix, and sends no StopVms',
    async (action, plug, vmId, behaviour) => {
      const r = await agent([`action=${action}`, `port=${plug}`]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`VM ${vmId} (${plug}) has VmInitiatedShutdownBehavior=${behaviour}`);
      expect(r.stderr).toContain(`UpdateVm with VmInitiatedShutdownBehavior=stop on ${vmId}`);
      expect(requests('StopVms')).toEqual([]);
      expect(stateOf(vmId)).toBe('running');
    },
  );

  it('allow_terminate=true fences a terminate-on-shutdown VM, with a warning', async () => {
    const r = await agent(['action=off', 'port=doomed', 'allow_terminate=true']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('this stop deletes it');
    expect(stateOf('i-0000000e')).toBe('terminated');
  });

  it.each(['allow_terminate=', 'allow_terminate=enabled'])(
    '%s on stdin is not allow_terminate=true (as fencing.py, a warning): the VM is refused, not deleted',
    async (line) => {
      const r = await agent(['action=off', 'port=doomed', line]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`ignoring ${line.trim()}: a flag takes 1, yes, on, true, 0, no, off or false; it stays false`);
      expect(r.stderr).toContain('VM i-0000000e (doomed) has VmInitiatedShutdownBehavior=terminate');
      expect(requests('StopVms')).toEqual([]);
      expect(stateOf('i-0000000e')).toBe('running');
    },
  );

  it('allow_terminate does not make a restart-on-shutdown VM fenceable', async () => {
    const r = await agent(['action=off', 'port=phoenix', 'allow_terminate=true']);
    expect(r.exitCode).toBe(1);
    expect(requests('StopVms')).toEqual([]);
  });

  it('a terminate-on-shutdown VM that is already deleted is off: off and reboot answer Already OFF, sending no StopVms', async () => {
    for (const action of ['off', 'reboot']) {
      const r = await agent([`action=${action}`, 'port=ended']);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).not.toContain('Refused');
    }
    expect((await agent(['action=off', 'port=ended'])).stdout).toContain('Success: Already OFF');
    expect(requests('StopVms')).toEqual([]);
  });

  it('monitor refuses a device whose filter holds such a VM, and passes on a clean filter', async () => {
    const r = await agent(['action=monitor', 'filter=Cluster=risky']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('VM i-0000000e (doomed) has VmInitiatedShutdownBehavior=terminate');
    expect(r.stderr).toContain('VM i-0000000f (phoenix) has VmInitiatedShutdownBehavior=restart');
    expect((await agent(['action=monitor', 'filter=Cluster=lab'])).exitCode).toBe(0);
    expect(requests('StopVms')).toEqual([]);
  });

  it('validate-all refuses such a plug; an unreachable API is only a warning', async () => {
    const r = await agent(['action=validate-all', 'port=doomed']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('VmInitiatedShutdownBehavior=terminate');
    expect(r.stderr).toContain('validate-all failed');
    expect((await agent(['action=validate-all', 'port=node2'])).exitCode).toBe(0);
    const down = await agent(['action=validate-all', 'port=doomed', 'endpoint=http://127.0.0.1:9/api/v1', 'api_retries=0']);
    expect(down.exitCode).toBe(0);
    expect(down.stderr).toContain("could not read the targets' VmInitiatedShutdownBehavior");
  });
});

describe('off never rests on one read', () => {
  it('a stale "stopped" answer does not stop the agent from sending StopVms', async () => {
    setFaults({ staleStopped: { 'i-0000000b': 1 } });
    const r = await agent(['action=off', 'port=node2']);
    expect(r.exitCode).toBe(0);
    expect(requests('StopVms').map((e) => e.body)).toEqual([{ VmIds: ['i-0000000b'], ForceStop: true }]);
    expect(stateOf('i-0000000b')).toBe('stopped');
  });

  it('two stale "stopped" answers do not confirm a VM that StopVms said was running: off of a VM that never stops times out', async () => {
    setFaults({ staleStopped: { 'i-0000000b': 2 }, neverStopVmIds: ['i-0000000b'] });
    const r = await agent(['action=off', 'port=node2', 'power_timeout=1']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Failed: Timed out waiting to power OFF node2');
    expect(stateOf('i-0000000b')).toBe('stopping');
  });

  it('after two stale "stopped" answers, off says "Powered OFF", not "Already OFF", once the VM is stopped', async () => {
    setFaults({ staleStopped: { 'i-0000000b': 2 } });
    const r = await agent(['action=off', 'port=node2']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('Success: Powered OFF\n');
    expect(stateOf('i-0000000b')).toBe('stopped');
  });

  it('reboot after two stale "stopped" answers of a VM that never stops fails and starts nothing', async () => {
    setFaults({ staleStopped: { 'i-0000000b': 2 }, neverStopVmIds: ['i-0000000b'] });
    const r = await agent(['action=reboot', 'port=node2', 'power_timeout=1']);
    expect(r.exitCode).toBe(1);
    expect(requests('StartVms')).toEqual([]);
    expect(stateOf('i-0000000b')).toBe('stopping');
  });

  it('off of a stopped VM still sends StopVms, then confirms stopped', async () => {
    const r = await agent(['action=off', 'port=node3']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('Success: Already OFF\n');
    expect(requests('StopVms')).toHaveLength(1);
  });

  it('off of a terminated VM sends no StopVms (it cannot be stopped) and succeeds', async () => {
    const r = await agent(['action=off', 'port=i-0000000d']);
    expect(r.exitCode).toBe(0);
    expect(requests('StopVms')).toEqual([]);
  });

  it('StopVms on a shutting-down VM (6003) is followed by polling until it is terminated', async () => {
    const r = await agent(['action=off', 'port=deleting']);
    expect(r.exitCode).toBe(0);
    expect(requests('StopVms').map((e) => e.errorCode)).toEqual(['6003']);
    expect(r.stderr).toContain('already going down (6003)');
    expect(stateOf('i-00000011')).toBe('terminated');
  });

  it('on of a stopping VM waits until it is stopped, then starts it', async () => {
    const r = await agent(['action=on', 'port=sinking']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('Success: Powered ON\n');
    expect(requests('StartVms').map((e) => e.status)).toEqual([200]);
    expect(stateOf('i-00000010')).toBe('running');
  });
});

describe('plug lookup reads every page', () => {
  it('a namesake on a later page makes the plug ambiguous, and nothing is stopped', async () => {
    const r = await agent(['action=off', 'port=twin']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('the tag Name=twin matches 2 VMs (i-00000014, i-00000016)');
    expect(requests('StopVms')).toEqual([]);
  });

  it('list shows the VMs of every page', async () => {
    const r = await agent(['action=list']);
    expect(r.stdout.trim().split('\n')).toHaveLength(vms.length);
  });
});

describe('filter limits the plugs too', () => {
  it('a namesake outside the filter does not make the plug ambiguous, and is not stopped', async () => {
    const r = await agent(['action=off', 'port=solo', 'filter=Cluster=lab']);
    expect(r.exitCode).toBe(0);
    expect(requests('StopVms').map((e) => e.body)).toEqual([{ VmIds: ['i-00000017'], ForceStop: true }]);
    expect(stateOf('i-00000017')).toBe('stopped');
    expect(stateOf('i-00000018')).toBe('running');
  });

  it.each([
    [
      'a VM ID',
      'off',
      'i-00000018',
      'i-00000018',
      'VM i-00000018 does not carry the tag Cluster=lab (filter): this device does not fence it',
    ],
    [
      'a tag plug whose only VM is',
      'reboot',
      'spare',
      'i-00000012',
      'no VM with the tag Name=spare carries the tag Cluster=lab (filter): i-00000012 is outside this device',
    ],
  ])('%s outside the filter is refused (%s), and nothing is stopped', async (_what, action, port, vm, reason) => {
    const r = await agent([`action=${action}`, `port=${port}`, 'filter=Cluster=lab']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(reason);
    expect(requests('StopVms')).toEqual([]);
    expect(stateOf(vm)).toBe('running');
  });

  it('a deleted namesake inside the filter does not stand for a live VM outside it: no "Already OFF", nothing stopped', async () => {
    const r = await agent(['action=off', 'port=reborn', 'filter=Cluster=lab']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      'the tag Name=reborn is on terminated VMs only (i-0000001b) within the filter Cluster=lab, and on i-0000001c (running) outside',
    );
    expect(r.stdout).not.toContain('Success');
    expect(requests('StopVms')).toEqual([]);
    expect(stateOf('i-0000001c')).toBe('running');
  });

  it('nor does a stopped namesake inside the filter stand for a running VM outside it (no "Already OFF"); a VM ID plug does', async () => {
    for (const action of ['off', 'reboot', 'status']) {
      const r = await agent([`action=${action}`, 'port=rebuilt', 'filter=Cluster=lab']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(
        'the tag Name=rebuilt is on stopped VMs only (i-0000001d) within the filter Cluster=lab, and on i-0000001e (running) outside',
      );
      expect(r.stdout).not.toContain('Success');
    }
    expect(requests('StopVms')).toEqual([]);
    expect(stateOf('i-0000001e')).toBe('running');
    const byId = await agent(['action=off', 'port=i-0000001d', 'filter=Cluster=lab']);
    expect(byId.exitCode).toBe(0);
    expect(byId.stdout).toContain('Success: Already OFF');
  });

  it('monitor fails when two VMs of the filter share a tag_key value: fencing that node would fail as ambiguous', async () => {
    const r = await agent(['action=monitor', 'filter=Cluster=pair']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Failed: the tag Name=dup is on 2 VMs of filter Cluster=pair (i-00000019, i-0000001a)');
    const off = await agent(['action=off', 'port=dup', 'filter=Cluster=pair']);
    expect(off.exitCode).toBe(1);
    expect(requests('StopVms')).toEqual([]);
  });
});

describe('a filter that matches no VM', () => {
  it('fails monitor, naming the filter', async () => {
    const r = await agent(['action=monitor', 'filter=Cluster=nomatch']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Failed: filter Cluster=nomatch matches no VM in this account and region');
  });

  it('fails validate-all when the API answers, and is only a warning when it cannot be reached', async () => {
    const r = await agent(['action=validate-all', 'filter=Cluster=nomatch']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('filter Cluster=nomatch matches no VM');
    expect(r.stderr).toContain('validate-all failed');
    const down = await agent(['action=validate-all', 'filter=Cluster=nomatch', 'endpoint=http://127.0.0.1:9/api/v1', 'api_retries=0']);
    expect(down.exitCode).toBe(0);
    expect(down.stderr).toContain("could not read the targets' VmInitiatedShutdownBehavior");
  });
});

describe("Pacemaker's validation of a device (pcs stonith create, stonith_admin --validate): nodename=node1 plug=node1", () => {
  it('a plug that names no VM is a warning, and the filter is checked as a whole', async () => {
    const ok = await agent(['action=validate-all', 'nodename=nosuchnode', 'port=nosuchnode', 'filter=Cluster=lab']);
    expect(ok.exitCode).toBe(0);
    expect(ok.stderr).toContain('no VM has the tag Name=nosuchnode');
    expect(ok.stderr).toContain('Pacemaker validates a device with the plug node1');
    const empty = await agent(['action=validate-all', 'port=nosuchnode', 'filter=Cluster=nomatch']);
    expect(empty.exitCode).toBe(1);
    expect(empty.stderr).toContain('filter Cluster=nomatch matches no VM');
    const risky = await agent(['action=validate-all', 'port=nosuchnode', 'filter=Cluster=risky']);
    expect(risky.exitCode).toBe(1);
    expect(risky.stderr).toContain('VmInitiatedShutdownBehavior=terminate');
  });

  it('monitor and off still fail on a plug that names no VM, and stop nothing', async () => {
    for (const action of ['off', 'monitor']) {
      const r = await agent([`action=${action}`, 'port=nosuchnode', 'filter=Cluster=lab']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('no VM has the tag Name=nosuchnode');
    }
    expect(requests('StopVms')).toEqual([]);
  });
});

describe('self-fencing and the race check', () => {
  it('the agent fences its own VM by default (Pacemaker asks only when no other node can), with a warning', async () => {
    const r = await agent(['action=off', 'port=node1']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('the VM this agent runs on (i-0000000a)');
    expect(stateOf('i-0000000a')).toBe('stopped');
  });

  it('refuse_self_fencing=true refuses it, and sends no StopVms', async () => {
    const r = await agent(['action=off', 'port=node1', 'refuse_self_fencing=true']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('refusing to fence node1: VM i-0000000a is the VM this agent runs on');
    expect(requests('StopVms')).toEqual([]);
  });

  it.each([
    ['skip_race_check=true', 'skip_race_check=true', 'refusing to fence node1: VM i-0000000a is the VM this agent runs on'],
    [
      'an unreadable metadata service',
      'metadata_url=http://127.0.0.1:9/latest/meta-data',
      "refuse_self_fencing is set and this node's own VM is not known; nothing was done",
    ],
  ])('refuse_self_fencing=true still holds with %s, and sends no StopVms', async (_what, line, reason) => {
    const r = await agent(['action=off', 'port=node1', 'refuse_self_fencing=true', line, 'login_timeout=1']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(reason);
    expect(requests('StopVms')).toEqual([]);
    expect(stateOf('i-0000000a')).toBe('running');
  });

  it('without refuse_self_fencing, an unreadable metadata service is a warning and the fence goes on', async () => {
    const r = await agent(['action=off', 'port=node2', 'metadata_url=http://127.0.0.1:9/latest/meta-data', 'login_timeout=1']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('fencing without the race check');
    expect(stateOf('i-0000000b')).toBe('stopped');
  });

  it('reads its own VM again right before StopVms, and yields while it is itself being stopped', async () => {
    const ok = await agent(['action=off', 'port=node2']);
    expect(ok.exitCode).toBe(0);
    const log = h.sim.log.list();
    const stop = log.findIndex((e) => e.operation === 'StopVms');
    expect(log[stop - 1]).toMatchObject({ operation: 'ReadVms', body: { Filters: { VmIds: ['i-0000000a'] } } });

    h.sim.reset();
    setFaults({ neverStopVmIds: ['i-0000000a'] });
    h.sim.fleet.stop('i-0000000a', true);
    const r = await agent(['action=off', 'port=node2']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("this node's own VM i-0000000a is stopping");
    expect(stateOf('i-0000000b')).toBe('running');
  });
});

describe('help and version are for the command line', () => {
  it.each(['help=1', 'version=1', 'help=yes'])(
    'a device holding %s does not answer off with success: it fails and stops nothing',
    async (line) => {
      const r = await agent(['action=off', 'port=node2', line]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('is for the command line (-h, -V), not a device option');
      expect(requests()).toEqual([]);
      expect(stateOf('i-0000000b')).toBe('running');
    },
  );

  it.each(['help=0', 'version='])('%s is no help and does not get in the way (an empty value is ignored, as fencing.py)', async (line) => {
    expect((await agent(['action=status', 'port=node2', line])).exitCode).toBe(0);
  });
});

describe('what off reads before it stops', () => {
  it('reads the target once, then its own VM right before StopVms', async () => {
    const r = await agent(['action=off', 'port=i-0000000b']);
    expect(r.exitCode).toBe(0);
    const log = h.sim.log.list();
    const stop = log.findIndex((e) => e.operation === 'StopVms');
    const reads = log.slice(0, stop).filter((e) => e.operation === 'ReadVms');
    expect(reads.map((e) => (e.body as { Filters?: { VmIds?: string[] } }).Filters?.VmIds)).toEqual([['i-0000000b'], ['i-0000000a']]);
  });
});

describe('bounded actions', () => {
  it('under pacemaker-fenced, off of a VM that never stops fails after power_timeout with "Timed out waiting to power OFF"', async () => {
    setFaults({ neverStopVmIds: ['i-0000000b'] });
    const r = await agent(['action=off', 'port=node2', 'power_timeout=1']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Failed: Timed out waiting to power OFF node2');
  });

  it('reboot succeeds once off is confirmed when StartVms never answers, and logs that power-on is pending', async () => {
    setFaults({ operations: { StartVms: { hang: 'forever' } } });
    const r = await agent(['action=reboot', 'port=node2', 'power_timeout=2', 'shell_timeout=0']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('Success: Rebooted\n');
    expect(r.stderr).toContain('node2 is off (fenced); power-on is still pending');
    expect(stateOf('i-0000000b')).toBe('stopped');
  }, 20_000);

  it('login_timeout=0 is "no limit" (fencing.py): secret_key_script and the metadata service are waited for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fo-login-'));
    const script = join(dir, 'secret.sh');
    writeFileSync(script, `#!/bin/sh\nsleep 0.2\necho ${secretKey}\n`);
    chmodSync(script, 0o700);
    try {
      const stdin = [
        `endpoint=${h.server.apiUrl}`,
        `metadata_url=http://127.0.0.1:${h.server.port}/latest/meta-data`,
        `access_key=${accessKey}`,
        `secret_key_script=${script}`,
        'stonith_status_sleep=0.05',
        'login_timeout=0',
        'action=off',
        'port=node2',
      ].join('\n');
      const r = await runFenceAgent(fenceOutscale, { argv: [], stdin, env: { HOME: '/nonexistent', PCMK_service: 'pacemaker-fenced' } });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).not.toContain('fencing without the race check');
      expect(stateOf('i-0000000b')).toBe('stopped');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shell_timeout=0 sets no per-request limit: a 1.5 s answer is waited for, not retried', async () => {
    setFaults({ operations: { ReadVms: { latencyMs: 1500 } } });
    const r = await agent(['action=status', 'port=i-0000000b', 'shell_timeout=0']);
    expect(r.exitCode).toBe(0);
    expect(requests('ReadVms')).toHaveLength(1);
  });

  it('monitor on an API that never answers gives up within the 15 s budget, whatever shell_timeout and api_retries say', async () => {
    setFaults({ hang: 'forever' });
    const started = Date.now();
    const r = await agent(['action=monitor', 'shell_timeout=10', 'api_retries=20']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('request timed out');
    // Pacemaker's default operation timeout is 20 s: the agent must have said why before it.
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);
});
