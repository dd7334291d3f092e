// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { defineFenceAgent, FenceError, runFenceAgent, string, type Power } from '../../../../lib/fence/index.js';

/** An in-memory power strip: plugs turn off or on after `settleMs`, or never. */
class Strip {
  readonly calls: string[] = [];
  private readonly targets = new Map<string, { power: Power; atMs: number }>();
  constructor(
    private readonly powers: Map<string, Power>,
    private readonly settleMs = 150,
    private readonly stuck = new Set<string>(),
  ) {}
  get(plug: string): Power {
    const t = this.targets.get(plug);
    if (t && Date.now() >= t.atMs && !this.stuck.has(plug)) this.powers.set(plug, t.power);
    const p = this.powers.get(plug);
    if (p === undefined) throw new FenceError(`no plug ${plug}`);
    return p;
  }
  set(plug: string, power: Power): void {
    this.calls.push(`${power} ${plug}`);
    this.targets.set(plug, { power, atMs: Date.now() + this.settleMs });
  }
}

function agentFor(strip: Strip, extra: { failMonitor?: boolean; refuse?: boolean; transientReads?: number; failOn?: boolean } = {}) {
  let transient = extra.transientReads ?? 0;
  return defineFenceAgent({
    name: 'fence_strip',
    shortdesc: 'Test strip',
    longdesc: 'An in-memory power strip for kit tests.',
    vendorUrl: 'https://example.org',
    options: { device: string({ valueName: 'name', desc: 'Device name.' }) },
    connect: async () => strip,
    async getPower(c, plug) {
      if (transient > 0 && c.calls.length > 0) {
        transient--;
        throw Object.assign(new Error('device busy'), { transient: true });
      }
      return c.get(plug);
    },
    async setPower(c, plug, power) {
      if (power === 'on' && extra.failOn) throw new FenceError('cannot power on');
      c.set(plug, power);
    },
    list: async () => [{ plug: 'p1', alias: 'node1', power: 'on' }, { plug: 'p2', alias: 'node2', power: 'off' }, { plug: 'p3' }],
    async monitor() {
      if (extra.failMonitor) throw new FenceError('device unreachable');
    },
    async beforeFencing(_c, plugs) {
      if (extra.refuse) throw new FenceError(`refusing to fence ${plugs.join(',')}`);
    },
  });
}

const fast = 'stonith_status_sleep=0.1\npower_timeout=2\n';

async function stdin(agent: ReturnType<typeof agentFor>, text: string, env: Record<string, string> = {}) {
  return runFenceAgent(agent, { argv: [], stdin: text, env });
}

describe('fence kit actions and exit codes', () => {
  it.each([
    ['status of an on plug prints Status: ON and exits 0', 'action=status\nport=p1\n', 0, 'Status: ON\n'],
    ['status of an off plug prints Status: OFF and exits 2', 'action=status\nplug=p2\n', 2, 'Status: OFF\n'],
    ['status is ON when any of several plugs is on', 'action=status\nplug=p2,p1\n', 0, 'Status: ON\n'],
    ['list prints plug,alias lines', 'action=list\n', 0, 'p1,node1\np2,node2\np3,\n'],
    ['list honours the separator', 'action=list\nseparator=;\n', 0, 'p1;node1\np2;node2\np3;\n'],
    ['list-status adds on/off or UNKNOWN', 'action=list-status\n', 0, 'p1,node1,on\np2,node2,off\np3,,UNKNOWN\n'],
    ['monitor prints nothing and exits 0', 'action=monitor\n', 0, ''],
    ['validate-all with good options exits 0', 'action=validate-all\nport=p1\n', 0, ''],
    ['off of an off plug is already off', `action=off\nport=p2\n${fast}`, 0, 'Success: Already OFF\n'],
    ['on of an on plug is already on', `action=on\nport=p1\n${fast}`, 0, 'Success: Already ON\n'],
  ])('%s', async (_title, text, code, out) => {
    const r = await stdin(agentFor(new Strip(new Map<string, Power>([['p1', 'on'], ['p2', 'off']]))), text);
    expect(r.stdout).toBe(out);
    expect(r.exitCode).toBe(code);
  });

  it('off asks once, polls until the plug is off, and exits 0', async () => {
    const strip = new Strip(new Map([['p1', 'on']]));
    const r = await stdin(agentFor(strip), `action=off\nport=p1\n${fast}`);
    expect(r.stdout).toBe('Success: Powered OFF\n');
    expect(r.exitCode).toBe(0);
    expect(strip.calls).toEqual(['off p1']);
    expect(strip.get('p1')).toBe('off');
  });

  it('off that never completes fails with "Timed out", which the fencer greps for', async () => {
    const strip = new Strip(new Map([['p1', 'on']]), 100, new Set(['p1']));
    const r = await stdin(agentFor(strip), `action=off\nport=p1\nstonith_status_sleep=0.1\npower_timeout=0.5\n`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Failed: Timed out waiting to power OFF p1');
  });

  it('under pacemaker-fenced, off ignores power_timeout and polls until done (until killed)', async () => {
    const strip = new Strip(new Map([['p1', 'on']]), 900);
    const text = 'action=off\nport=p1\nstonith_status_sleep=0.1\npower_timeout=0.3\n';
    expect((await stdin(agentFor(strip), text, { PCMK_service: 'pacemaker-fenced' })).exitCode).toBe(0);
    const again = new Strip(new Map([['p1', 'on']]), 900);
    expect((await stdin(agentFor(again), `${text}disable_timeout=false\n`, { PCMK_service: 'pacemaker-fenced' })).exitCode).toBe(1);
  });

  it('a transient read error while polling is logged and the poll goes on', async () => {
    const strip = new Strip(new Map([['p1', 'on']]));
    const r = await stdin(agentFor(strip, { transientReads: 2 }), `action=off\nport=p1\n${fast}`);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('device busy');
  });

  it('reboot is off, wait, on', async () => {
    const strip = new Strip(new Map([['p1', 'on']]));
    const r = await stdin(agentFor(strip), `action=reboot\nport=p1\n${fast}`);
    expect(r.stdout).toBe('Success: Rebooted\n');
    expect(r.exitCode).toBe(0);
    expect(strip.calls).toEqual(['off p1', 'on p1']);
  });

  it('reboot succeeds once off is confirmed, even if power on fails (as fencing.py)', async () => {
    const strip = new Strip(new Map([['p1', 'on']]));
    const r = await stdin(agentFor(strip, { failOn: true }), `action=reboot\nport=p1\n${fast}`);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('powering it back on failed: cannot power on');
  });

  it('on retries retry_on times before failing', async () => {
    const strip = new Strip(new Map([['p1', 'off']]), 100, new Set(['p1']));
    const r = await stdin(agentFor(strip), 'action=on\nport=p1\nstonith_status_sleep=0.1\npower_timeout=0.3\nretry_on=2\n');
    expect(r.exitCode).toBe(1);
    expect(strip.calls).toEqual(['on p1', 'on p1']);
    expect(r.stderr).toContain('Timed out waiting to power ON');
  });

  it('a refusal before fencing fails and turns nothing off', async () => {
    const strip = new Strip(new Map([['p1', 'on']]));
    const r = await stdin(agentFor(strip, { refuse: true }), `action=off\nport=p1\n${fast}`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Failed: refusing to fence p1');
    expect(strip.calls).toEqual([]);
  });

  it('monitor fails with exit 1 when the device does not answer', async () => {
    const r = await stdin(agentFor(new Strip(new Map()), { failMonitor: true }), 'action=monitor\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Failed: device unreachable');
  });

  it.each([
    ['action=bogus\n', "Failed: Unrecognised action 'bogus'"],
    ['action=off\n', 'no plug given'],
    ['action=status\n', 'no plug given'],
    ['action=status\nport=p1\npower_timeout=x\n', 'power_timeout: expected a time in seconds'],
    ['action=validate-all\npower_wait=x\n', 'validate-all failed'],
  ])('bad input %j exits 1 with a clear message', async (text, message) => {
    const r = await stdin(agentFor(new Strip(new Map([['p1', 'on']]))), text);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(message);
  });

  it('delay waits before off, and not before status', async () => {
    const strip = new Strip(new Map([['p1', 'off']]));
    let started = Date.now();
    await stdin(agentFor(strip), 'action=off\nport=p1\ndelay=0.4\n');
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    started = Date.now();
    await stdin(agentFor(strip), 'action=status\nport=p1\ndelay=2\n');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('metadata needs no options and validates against fence-agents metadata.rng', async () => {
    const r = await stdin(agentFor(new Strip(new Map())), 'action=meta-data\nbogus=1\n');
    expect(r.exitCode).toBe(0);
    const check = spawnSync('xmllint', ['--noout', '--relaxng', '/usr/share/cluster/relaxng/metadata.rng', '-'], { input: r.stdout, encoding: 'utf8' });
    expect(check.stderr).toContain('- validates');
    expect(check.status).toBe(0);
    expect(r.stdout).toContain('<parameter name="plug" unique="0" required="1" obsoletes="port">');
    expect(r.stdout).toContain('<parameter name="port" unique="0" required="1" deprecated="1">');
    expect(r.stdout).toContain('<action name="on" automatic="0"/>');
    expect(r.stdout).toContain('<getopt mixed="--device=[name]"/>');
  });

  it('--help and -o manpage come from the same table', async () => {
    const agent = agentFor(new Strip(new Map()));
    const help = await runFenceAgent(agent, { argv: ['--help'], env: {} });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('--device=[name]');
    expect(help.stdout).toContain('-n, --plug=[id]');
    const man = await runFenceAgent(agent, { argv: ['-o', 'manpage'], env: {} });
    expect(man.stdout).toMatch(/^\.TH FENCE_STRIP 8/);
    expect(man.stdout).toContain('\\-\\-device=[name]');
  });
});
