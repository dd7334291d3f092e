// SPDX-License-Identifier: Apache-2.0
import { appendFileSync, existsSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { spawnDetached } from '../exec/detached.js';
import { ocfIsTrue } from '../spec/values.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'err';

/** Where the kit writes: the process's streams in production, buffers in unit tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** ocf_log in TypeScript: `vip(web)[4242]: INFO: …`, written once, where ha_log would write it. */
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  err(msg: string): void;
}

const labels: Record<LogLevel, string> = { debug: 'DEBUG', info: 'INFO', warn: 'WARNING', err: 'ERROR' };
const severity: Record<LogLevel, number> = { debug: 7, info: 6, warn: 4, err: 3 };
const facilities: Readonly<Record<string, number>> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

/** Settings read once from the environment by the dispatcher. */
export interface LogSettings {
  readonly tag: string;
  /** DEBUG lines are written only when set (HA_debug neither empty nor 0). */
  readonly debug: boolean;
  /** HA_LOGFILE: every non-debug line is appended here. */
  readonly logfile?: string;
  /** HA_DEBUGLOG: every line, debug included, unless it is the log file. */
  readonly debuglog?: string;
  /** HA_LOGFACILITY (not `none`): lines go to syslog with this facility. */
  readonly facility?: string;
  /** The syslog socket (/dev/log). */
  readonly syslogSocket?: string;
  /** stdin is a terminal: ha_log then writes to stderr only. Unset: asked at the first line written. */
  readonly interactive?: boolean;
  /** Fence agents: stderr always gets the line, whatever else is configured (fencing.py's rule). */
  readonly alwaysStderr?: boolean;
  /** Fence agents: debuglog (--debug-file) gets every line on a terminal too, as fencing.py writes it. */
  readonly alwaysDebuglog?: boolean;
}

/**
 * ocf-shellfuncs' ha_log rule: a terminal gets stderr only; otherwise syslog when HA_LOGFACILITY
 * is set, HA_LOGFILE when set, stderr only when neither is, and HA_DEBUGLOG besides. Pacemaker's
 * own PCMK_logfile / HA_logfile (lower case) are not read, as ocf_log does not: pacemaker-execd
 * already copies the agent's stderr into its log, so writing there too would log each line twice.
 */
export function logSettingsFromEnv(tag: string, env: Readonly<Record<string, string | undefined>>): LogSettings {
  const facility = env.HA_LOGFACILITY;
  const logfile = env.HA_LOGFILE;
  const debuglog = env.HA_DEBUGLOG;
  return {
    tag,
    // trace_ra (crm resource trace) and OCF_TRACE_RA ask stock agents for a shell trace; the
    // nearest thing here is every debug line.
    debug:
      ((env.HA_debug ?? '') !== '' && env.HA_debug !== '0') ||
      ocfIsTrue(env.OCF_RESKEY_trace_ra ?? '').value ||
      ocfIsTrue(env.OCF_TRACE_RA ?? '').value,
    ...(logfile ? { logfile } : {}),
    ...(debuglog && debuglog !== '/dev/null' && debuglog !== logfile ? { debuglog } : {}),
    ...(facility && facility !== 'none' ? { facility, syslogSocket: '/dev/log' } : {}),
  };
}

export function createLogger(settings: LogSettings, io: Io): Logger {
  // Decided at the first line: most monitors write none, and need not load node:tty.
  let interactive = settings.interactive;
  let syslog: ((level: LogLevel, text: string) => void) | undefined;
  let started = false;
  const write = (level: LogLevel, msg: string): void => {
    if (level === 'debug' && !settings.debug) return;
    const text = `${labels[level]}: ${msg}`;
    const line = `${settings.tag}: ${text}`;
    if (!started) {
      started = true;
      interactive ??= isStdinATerminal();
      if (settings.facility !== undefined && !interactive) syslog = syslogWriter(settings);
    }
    if (interactive) {
      if (settings.alwaysDebuglog && settings.debuglog) append(settings.debuglog, `${settings.tag}:\t${haDate()}${text}\n`);
      return io.err(`${line}\n`);
    }
    syslog?.(level, text);
    if (settings.logfile && level !== 'debug') append(settings.logfile, `${haDate()} ${line}\n`);
    if (settings.debuglog) append(settings.debuglog, `${settings.tag}:\t${haDate()}${text}\n`);
    const elsewhere = settings.facility !== undefined || (level === 'debug' ? settings.debuglog : settings.logfile) !== undefined;
    if (!elsewhere || settings.alwaysStderr) io.err(`${line}\n`);
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    err: (m) => write('err', m),
  };
}

function append(file: string, text: string): void {
  try {
    appendFileSync(file, text);
  } catch {
    // A log file we cannot write must not change the operation's result.
  }
}

// HA_DATEFMT's default, "%b %d %T ".
function haDate(): string {
  const d = new Date();
  const month = d.toLocaleString('en', { month: 'short' });
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${month} ${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} `;
}

function isStdinATerminal(): boolean {
  try {
    return process.getBuiltinModule('node:tty').isatty(0);
  } catch {
    return false;
  }
}

/**
 * Node cannot open the datagram socket /dev/log, so one logger(1) per action carries every
 * line, each with its own priority (`--prio-prefix`), rather than one process per line. It is
 * started at the first line, detached and unref'd so a stuck syslog never delays the agent's
 * exit; it reads what was written (pipe writes complete at once) until the pipe closes.
 */
function syslogWriter(settings: LogSettings): ((level: LogLevel, text: string) => void) | undefined {
  const socket = settings.syslogSocket ?? '/dev/log';
  if (!existsSync(socket)) return undefined;
  const facility = facilities[(settings.facility ?? '').toLowerCase()] ?? facilities.daemon ?? 3;
  let stdin: Writable | undefined;
  let failed = false;
  return (level, text) => {
    if (failed) return;
    try {
      if (stdin === undefined) {
        stdin = spawnDetached(['logger', '--socket-errors=off', '--prio-prefix', '-u', socket, '-t', settings.tag], {
          stdin: 'pipe',
          onError: () => (failed = true),
        }).stdin;
      }
      stdin?.write(`<${facility * 8 + severity[level]}>${text.replace(/\n/g, ' ')}\n`);
    } catch {
      failed = true; // syslog is best effort
    }
  };
}
