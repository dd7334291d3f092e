// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, logSettingsFromEnv, type Io } from '../../../../lib/log/index.js';
import { sleep } from '../../../../lib/time/index.js';

const dir = mkdtempSync(join(tmpdir(), 'logger-'));

function capture(): Io & { stderr: string[] } {
  const stderr: string[] = [];
  return { stderr, out: () => undefined, err: (t) => stderr.push(t) };
}

function logWith(env: Record<string, string>): { stderr: string[] } {
  const io = capture();
  const log = createLogger({ ...logSettingsFromEnv('t(r)[1]', env), interactive: false }, io);
  log.info('hello');
  log.debug('details');
  return io;
}

describe('ocf_log destinations (ha_log)', () => {
  it('writes to stderr once when no facility or log file is configured', () => {
    expect(logWith({}).stderr).toEqual(['t(r)[1]: INFO: hello\n']);
  });

  it.each([
    ['PCMK_logfile', { PCMK_logfile: join(dir, 'pcmk.log') }],
    ['HA_logfile (lower case, set by Pacemaker)', { HA_logfile: join(dir, 'ha-lower.log') }],
    ['HA_LOGFACILITY=none', { HA_LOGFACILITY: 'none' }],
  ])('ignores %s, as ocf_log does: stderr only', (_what, env) => {
    expect(logWith(env).stderr).toEqual(['t(r)[1]: INFO: hello\n']);
    for (const f of Object.values(env)) if (f.startsWith('/')) expect(existsSync(f)).toBe(false);
  });

  it("on a terminal, a fence agent's debug file (alwaysDebuglog) still gets every line; a resource agent's does not", () => {
    const fence = join(dir, 'fence-debug.log');
    const io = capture();
    const log = createLogger(
      { tag: 'f[1]', debug: true, debuglog: fence, interactive: true, alwaysStderr: true, alwaysDebuglog: true },
      io,
    );
    log.info('hello');
    log.debug('details');
    expect(io.stderr).toEqual(['f[1]: INFO: hello\n', 'f[1]: DEBUG: details\n']);
    expect(readFileSync(fence, 'utf8')).toMatch(/^f\[1\]:\t.*INFO: hello\nf\[1\]:\t.*DEBUG: details\n$/);
    const ra = join(dir, 'ra-debug.log');
    createLogger({ tag: 'r[1]', debug: true, debuglog: ra, interactive: true }, capture()).info('hello');
    expect(existsSync(ra)).toBe(false);
  });

  it.each([
    [{ OCF_RESKEY_trace_ra: '1' }, true],
    [{ OCF_RESKEY_trace_ra: 'yes' }, true],
    [{ OCF_TRACE_RA: 'true' }, true],
    [{ OCF_RESKEY_trace_ra: '0' }, false],
    [{ HA_debug: '1' }, true],
  ])('%j: debug lines %s (crm resource trace asks stock agents for a shell trace)', (env, debug) => {
    expect(logWith(env).stderr).toEqual(['t(r)[1]: INFO: hello\n', ...(debug ? ['t(r)[1]: DEBUG: details\n'] : [])]);
  });

  it('writes to HA_LOGFILE instead of stderr when it is set', () => {
    const file = join(dir, 'ha.log');
    expect(logWith({ HA_LOGFILE: file }).stderr).toEqual([]);
    expect(readFileSync(file, 'utf8')).toMatch(/^\w{3} \d\d \d\d:\d\d:\d\d {2}t\(r\)\[1\]: INFO: hello\n$/);
  });

  it('writes debug lines only with HA_debug, to HA_DEBUGLOG and never to stderr', () => {
    const file = join(dir, 'debug.log');
    expect(logWith({ HA_debug: '1', HA_DEBUGLOG: file }).stderr).toEqual(['t(r)[1]: INFO: hello\n']);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^t\(r\)\[1\]:\t.*DEBUG: details$/);
    expect(logWith({ HA_debug: '0', HA_DEBUGLOG: join(dir, 'none.log') }).stderr).toHaveLength(1);
    expect(existsSync(join(dir, 'none.log'))).toBe(true);
    expect(readFileSync(join(dir, 'none.log'), 'utf8')).not.toContain('DEBUG');
  });

  it('sends lines to syslog with their own priority through one logger process, not stderr', async () => {
    const socket = join(dir, 'log.sock');
    const received = join(dir, 'syslog.txt');
    // A real datagram syslog socket, as /dev/log is.
    const listener = spawn('python3', [
      '-c',
      `import socket,sys
s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM); s.bind(sys.argv[1]); s.settimeout(5)
out=open(sys.argv[2],'w')
try:
  while True:
    out.write(s.recv(4096).decode()+"\\n"); out.flush()
except Exception: pass`,
      socket,
      received,
    ]);
    try {
      for (let i = 0; i < 50 && !existsSync(socket); i++) await sleep(20);
      const io = capture();
      const log = createLogger(
        { ...logSettingsFromEnv('t(r)[1]', { HA_LOGFACILITY: 'local3' }), syslogSocket: socket, interactive: false },
        io,
      );
      log.info('one');
      log.warn('two');
      log.err('three');
      expect(io.stderr).toEqual([]);
      for (let i = 0; i < 100 && (readFileSync(received, 'utf8').match(/\n/g) ?? []).length < 3; i++) await sleep(20);
      const got = readFileSync(received, 'utf8');
      // local3 = 19: info 19*8+6, warning 19*8+4, err 19*8+3
      expect(got).toMatch(/<158>.*t\(r\)\[1\]: INFO: one/);
      expect(got).toMatch(/<156>.*t\(r\)\[1\]: WARNING: two/);
      expect(got).toMatch(/<155>.*t\(r\)\[1\]: ERROR: three/);
    } finally {
      listener.kill();
    }
  });
});
