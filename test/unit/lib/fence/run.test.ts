// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    private readonly onSettleMs = settleMs,
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
    this.targets.set(plug, { power, atMs: Date.now() + (power === 'on' ? this.onSettleMs : this.settleMs) });
  }
}

interface Extra {
  failMonitor?: boolean;
  hangMonitor?: boolean;
  refuse?: boolean;
  transientReads?: number;
  failOn?: boolean;
  stuckOn?: boolean;
  alwaysSendOff?: boolean;
  /** setPower says whether the plug was at the target before the request, as StopVms does. */
  answers?: boolean;
  /** The next N reads say off whatever the plug is: a stale cache. */
  staleOffReads?: number;
}

function agentFor(strip: Strip, extra: Extra = {}) {
  let transient = extra.transientReads ?? 0;
  let stale = extra.staleOffReads ?? 0;
  return defineFenceAgent({
    alwaysSendOff: extra.alwaysSendOff ?? false,
    name: 'fence_strip',
    shortdesc: 'Test strip',
    longdesc: 'An in-memory power strip for kit tests.',
    vendorUrl: 'https://example.org',
    options: { device: string({ valueName: 'name', desc: 'Device name.' }) },
    connect: async () => strip,
    async getPower(c, plug, ctx) {
      ctx.log.debug(`reading ${plug}`);
      if (transient > 0 && c.calls.length > 0) {
        transient--;
        throw Object.assign(new Error('device busy'), { transient: true });
      }
      const real = c.get(plug);
      if (stale === 0) return real;
      stale--;
      return 'off';
    },
    async setPower(c, plug, power) {
      if (power === 'on' && extra.failOn) throw new FenceError('cannot power on');
      if (power === 'on' && extra.stuckOn) {
        c.calls.push('on (ignored)');
        return undefined;
      }
      const before = c.get(plug);
      c.set(plug, power);
      return extra.answers ? { wasAtTarget: before === power } : undefined;
    },
    list: async () => [{ plug: 'p1', alias: 'node1', power: 'on' }, { plug: 'p2', alias: 'node2', power: 'off' }, { plug: 'p3' }],
    async monitor(_c, ctx) {
      if (extra.failMonitor) throw new FenceError('device unreachable');
      if (extra.hangMonitor) {
        await new Promise((resolve) => setTimeout(resolve, ctx.deadline.remainingMs()));
        throw new FenceError('monitor ran out of its budget');
      }
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
    const r = await stdin(
      agentFor(
        new Strip(
          new Map<string, Power>([
            ['p1', 'on'],
            ['p2', 'off'],
          ]),
        ),
      ),
      text,
    );
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

  it('under pacemaker-fenced, off honours power_timeout; only disable_timeout=true or power_timeout=0 polls until done', async () => {
    const text = 'action=off\nport=p1\nstonith_status_sleep=0.1\npower_timeout=0.3\n';
    const fenced = { PCMK_service: 'pacemaker-fenced' };
    const r = await stdin(agentFor(new Strip(new Map([['p1', 'on']]), 900)), text, fenced);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Failed: Timed out waiting to power OFF p1');
    expect((await stdin(agentFor(new Strip(new Map([['p1', 'on']]), 900)), `${text}disable_timeout=true\n`, fenced)).exitCode).toBe(0);
    expect((await stdin(agentFor(new Strip(new Map([['p1', 'on']]), 900)), `${text}power_timeout=0\n`, fenced)).exitCode).toBe(0);
  });

  it('reboot succeeds once off is confirmed when power-on does not finish within its bounded phase, and says it is pending', async () => {
    // Off takes 0.2 s; on never completes. power_timeout=60 leaves 60 s, but the on phase is capped at 15 s:
    // with power_timeout=1 what is left is below the 5 s floor, so the phase lasts about 5 s.
    const strip = new Strip(new Map([['p1', 'on']]), 200, new Set());
    const stuckOn = agentFor(strip, { stuckOn: true });
    const started = Date.now();
    const r = await stdin(stuckOn, 'action=reboot\nport=p1\nstonith_status_sleep=0.1\npower_timeout=1\nretry_on=3\n', {
      PCMK_service: 'pacemaker-fenced',
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('Success: Rebooted\n');
    expect(r.stderr).toContain('p1 is off (fenced); power-on is still pending: Timed out waiting to power ON p1');
    expect(strip.calls[0]).toBe('off p1');
    expect(Date.now() - started).toBeLessThan(12_000);
  }, 20_000);

  it('an agent with alwaysSendOff asks for off even when the first read says off', async () => {
    const strip = new Strip(new Map([['p2', 'off']]));
    const r = await stdin(agentFor(strip, { alwaysSendOff: true }), `action=off\nport=p2\n${fast}`);
    expect(r.exitCode).toBe(0);
    expect(strip.calls).toEqual(['off p2']);
  });

  describe('a plug the device said was not off before the request', () => {
    const stuck = () => new Strip(new Map([['p1', 'on']]), 100, new Set(['p1']));

    it('is not confirmed off by two stale reads (the first read and the first poll): off times out, exit 1', async () => {
      const strip = stuck();
      const r = await stdin(agentFor(strip, { alwaysSendOff: true, answers: true, staleOffReads: 2 }), `action=off\nport=p1\n${fast}`);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Failed: Timed out waiting to power OFF p1');
      expect(strip.get('p1')).toBe('on');
    });

    it('is reported "Powered OFF", never "Already OFF", once it really is off after two stale reads', async () => {
      const strip = new Strip(new Map([['p1', 'on']]), 300);
      const r = await stdin(agentFor(strip, { alwaysSendOff: true, answers: true, staleOffReads: 2 }), `action=off\nport=p1\n${fast}`);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe('Success: Powered OFF\n');
      expect(strip.get('p1')).toBe('off');
    });

    it('reboot does not power on a plug whose off rests on two stale reads', async () => {
      const strip = stuck();
      const r = await stdin(agentFor(strip, { alwaysSendOff: true, answers: true, staleOffReads: 2 }), `action=reboot\nport=p1\n${fast}`);
      expect(r.exitCode).toBe(1);
      expect(strip.calls).toEqual(['off p1']);
    });

    it('three stale reads in a row are taken for off: the documented limit', async () => {
      const r = await stdin(agentFor(stuck(), { alwaysSendOff: true, answers: true, staleOffReads: 3 }), `action=off\nport=p1\n${fast}`);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe('Success: Powered OFF\n');
    });

    it('a plug the device says was already off is still "Already OFF"', async () => {
      const r = await stdin(
        agentFor(new Strip(new Map([['p2', 'off']])), { alwaysSendOff: true, answers: true }),
        `action=off\nport=p2\n${fast}`,
      );
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe('Success: Already OFF\n');
    });
  });

  it('monitor, list and status have one 15 s budget whatever their options say', async () => {
    const started = Date.now();
    const r = await stdin(
      agentFor(new Strip(new Map()), { hangMonitor: true }),
      'action=monitor\npower_timeout=100\ndisable_timeout=true\n',
      { PCMK_service: 'pacemaker-fenced' },
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('monitor ran out of its budget');
    expect(Date.now() - started).toBeGreaterThanOrEqual(14_000);
    expect(Date.now() - started).toBeLessThan(17_000);
  }, 25_000);

  it('debug_file is created readable by its owner only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fence-kit-'));
    const file = join(dir, 'debug.log');
    const r = await stdin(agentFor(new Strip(new Map([['p1', 'on']]))), `action=status\nport=p1\nverbose=1\ndebug_file=${file}\n`);
    expect(r.exitCode).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    rmSync(dir, { recursive: true });
  });

  it("debug_file is not written through a symbolic link nor into another user's file: the action goes on, with a warning", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fence-kit-'));
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'untouched\n');
    symlinkSync(victim, join(dir, 'link.log'));
    const planted = join(dir, 'planted.log');
    writeFileSync(planted, '', { mode: 0o666 });
    chownSync(planted, 65534, 65534); // nobody's: a user who would read what root writes there
    const agent = agentFor(new Strip(new Map([['p1', 'on']])));
    const viaLink = await stdin(agent, `action=status\nport=p1\nverbose=1\ndebug_file=${join(dir, 'link.log')}\n`);
    expect(viaLink.exitCode).toBe(0);
    expect(viaLink.stderr).toContain(`debug_file ${join(dir, 'link.log')} is not written: it is a symbolic link`);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
    const intoPlanted = await stdin(agent, `action=status\nport=p1\nverbose=1\ndebug_file=${planted}\n`);
    expect(intoPlanted.exitCode).toBe(0);
    expect(intoPlanted.stderr).toContain(`debug_file ${planted} is not written: it belongs to uid 65534`);
    expect(readFileSync(planted, 'utf8')).toBe('');
    rmSync(dir, { recursive: true });
  });

  it('nodename is accepted on stdin without a warning, and not listed in metadata, --help or the man page', async () => {
    const agent = agentFor(new Strip(new Map([['p1', 'on']])));
    const r = await stdin(agent, 'action=status\nport=p1\nnodename=node1\n');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    for (const text of ['action=metadata\n', 'action=manpage\n']) expect((await stdin(agent, text)).stdout).not.toContain('nodename');
    expect((await runFenceAgent(agent, { argv: ['--help'], env: {} })).stdout).not.toContain('nodename');
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
    expect(r.stderr).toContain('p1 is off (fenced); power-on is still pending: cannot power on');
  });

  it('on tries 1 + retry_on times before failing, as fencing.py', async () => {
    const strip = new Strip(new Map([['p1', 'off']]), 100, new Set(['p1']));
    const r = await stdin(agentFor(strip), 'action=on\nport=p1\nstonith_status_sleep=0.1\npower_timeout=0.3\nretry_on=2\n');
    expect(r.exitCode).toBe(1);
    expect(strip.calls).toEqual(['on p1', 'on p1', 'on p1']);
    expect(r.stderr).toContain('Timed out waiting to power ON');
  });

  it('connect gets what validate resolved, and the plugs split once', async () => {
    const seen: unknown[] = [];
    const base = agentFor(
      new Strip(
        new Map<string, Power>([
          ['p1', 'on'],
          ['p2', 'off'],
        ]),
      ),
    );
    const agent = defineFenceAgent({
      ...base,
      validate: (_o, ctx) => ({ plugs: ctx.plugs }),
      connect: async (_o, ctx, validated) => {
        seen.push(validated, ctx.plugs);
        return base.connect(_o, ctx, undefined);
      },
    });
    const r = await stdin(agent, `action=status\nplug= p1 ; p2 ;\nplug_separator=;\n`);
    expect(r.exitCode).toBe(0);
    expect(seen).toEqual([{ plugs: ['p1', 'p2'] }, ['p1', 'p2']]);
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

  it.each([
    ["option= (FenceAgentAPI's older name of action)", 'option=status\nport=p2\n'],
    ['spaces around =', 'action = status\nport = p2\n'],
    ['a quoted value after spaces', 'action = "status"\nplug=p2\n'],
  ])('stdin with %s runs that action, not the default reboot', async (_what, text) => {
    const strip = new Strip(new Map([['p2', 'off']]));
    const r = await stdin(agentFor(strip), text);
    expect(r.stdout).toBe('Status: OFF\n');
    expect(r.exitCode).toBe(2);
    expect(strip.calls).toEqual([]);
  });

  it.each([
    ['Action=off\nport=p1\n', "'Action' is not a recognised spelling of the action"],
    ['ACTION=status\nport=p1\n', "'ACTION' is not a recognised spelling of the action"],
    ['--action=off\nport=p1\n', "'--action' is not a recognised spelling of the action"],
    ['o=off\nport=p1\n', "'o' is not a recognised spelling of the action"],
    ['action=status\noption=off\nport=p1\n', 'stdin names several actions (status, off)'],
  ])('stdin %j is refused with exit 1 and no power change (the default action is reboot)', async (text, message) => {
    const strip = new Strip(new Map([['p1', 'on']]));
    const r = await stdin(agentFor(strip), `${text}${fast}`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`Failed: ${message}`);
    expect(r.stderr).toContain('nothing was done');
    expect(strip.calls).toEqual([]);
    expect(strip.get('p1')).toBe('on');
  });

  it.each([
    ['verbose_level=2 on stdin', 'verbose_level=2\n', [], true],
    ['--verbose-level 1 on the command line', '', ['--verbose-level', '1'], true],
    ['verbose_level=0 over verbose=1', 'verbose=1\nverbose_level=0\n', [], false],
  ])('%s decides whether debug messages are written', async (_what, text, argv, debug) => {
    const agent = agentFor(new Strip(new Map([['p1', 'on']])));
    const r =
      argv.length > 0
        ? await runFenceAgent(agent, { argv: ['-o', 'status', '-n', 'p1', ...argv], env: {} })
        : await stdin(agent, `action=status\nport=p1\n${text}`);
    expect(r.exitCode).toBe(0);
    expect(r.stderr.includes('DEBUG: reading p1')).toBe(debug);
  });

  it.each([
    ['verbose_level=abc on stdin', 'verbose_level=abc\nverbose=1\n', [], 'ignoring verbose_level=abc'],
    ['verbose_level= (empty) on stdin', 'verbose_level=\n', [], 'ignoring verbose_level='],
    ['--verbose-level=-1 on the command line', '', ['--verbose-level=-1', '-v'], 'ignoring verbose_level=-1'],
  ])('%s is read as 0 with a warning, as fencing.py does: the action runs, without debug messages', async (_what, text, argv, warning) => {
    const strip = new Strip(new Map([['p1', 'on']]));
    const agent = agentFor(strip);
    const r =
      argv.length > 0
        ? await runFenceAgent(agent, { argv: ['-o', 'off', '-n', 'p1', ...argv], env: {} })
        : await stdin(agent, `action=off\nport=p1\n${text}`);
    expect(r.exitCode).toBe(0);
    expect(strip.get('p1')).toBe('off');
    expect(r.stderr).toContain(warning);
    expect(r.stderr).toContain(': using 0');
    expect(r.stderr.includes('DEBUG:')).toBe(false);
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

  it('power_timeout counts after power_wait, as in fencing.py: a plug that settles within both is confirmed off', async () => {
    // off lands at 1 s: after power_timeout alone (0.8 s), well within power_wait + power_timeout (2.3 s)
    const strip = new Strip(new Map([['p1', 'on']]), 1000);
    const r = await stdin(agentFor(strip), 'action=off\nport=p1\nstonith_status_sleep=0.1\npower_wait=1.5\npower_timeout=0.8\n');
    expect(r.stderr).not.toContain('Timed out');
    expect(r.stdout).toBe('Success: Powered OFF\n');
    expect(r.exitCode).toBe(0);
  });

  it("reboot's power-on phase is power_wait, then its bounded polls (at least 5 s): a plug on within both is not pending", async () => {
    // off settles in 0.15 s; on in 6 s: past the 5 s floor of polls, well within power_wait (3 s) + 5 s
    const strip = new Strip(new Map([['p1', 'on']]), 150, new Set(), 6000);
    const r = await stdin(agentFor(strip), 'action=reboot\nport=p1\nstonith_status_sleep=0.1\npower_wait=3\npower_timeout=2\n');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).not.toContain('power-on is still pending');
    expect(strip.calls).toEqual(['off p1', 'on p1']);
    expect(strip.get('p1')).toBe('on');
  }, 20_000);

  it('reboot with retry_on=0 leaves the node off, as fencing.py: off confirmed, no power-on asked', async () => {
    const strip = new Strip(new Map([['p1', 'on']]));
    const r = await stdin(agentFor(strip), `action=reboot\nport=p1\nretry_on=0\n${fast}`);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('Success: Rebooted\n');
    expect(strip.calls).toEqual(['off p1']);
    expect(strip.get('p1')).toBe('off');
  });

  it.each(['verbose=', 'verbose=lots', 'verbose=y'])(
    'a flag with a value that is no boolean word on stdin (%s) is ignored with a warning',
    async (line) => {
      const r = await stdin(agentFor(new Strip(new Map([['p1', 'on']]))), `action=status\nport=p1\n${line}\n`);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toContain(`ignoring ${line}: a flag takes 1, yes, on, true, 0, no, off or false; it stays false`);
      expect(r.stderr).not.toContain('DEBUG: reading p1');
    },
  );

  it('delay counts in power_timeout: a plug that settles after the rest of it is not confirmed off', async () => {
    const strip = new Strip(new Map([['p1', 'on']]), 700);
    const r = await stdin(agentFor(strip), 'action=off\nport=p1\nstonith_status_sleep=0.1\ndelay=0.4\npower_timeout=1\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Failed: Timed out waiting to power OFF p1');
  });

  it.each([
    ['off', 30],
    ['reboot', 30],
    ['validate-all', 30],
    ['monitor', 30],
    ['off', 21],
  ])(
    '%s with a delay that leaves power_timeout less than 10 s exits 1, naming both, and turns nothing off (delay %i, power_timeout 30)',
    async (action, delay) => {
      const strip = new Strip(new Map([['p1', 'on']]));
      const r = await stdin(agentFor(strip), `action=${action}\nport=p1\ndelay=${delay}\npower_timeout=30\n`);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`delay (${delay} s) must leave at least 10 s of power_timeout (30 s)`);
      expect(strip.calls).toEqual([]);
    },
  );

  it('metadata needs no options and validates against fence-agents metadata.rng', async () => {
    const r = await stdin(agentFor(new Strip(new Map())), 'action=meta-data\nbogus=1\n');
    expect(r.exitCode).toBe(0);
    const check = spawnSync('xmllint', ['--noout', '--relaxng', '/usr/share/cluster/relaxng/metadata.rng', '-'], {
      input: r.stdout,
      encoding: 'utf8',
    });
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
