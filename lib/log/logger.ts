// SPDX-License-Identifier: Apache-2.0
import { appendFileSync, existsSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'err';

/** Where the kit writes: the process's streams in production, buffers in unit tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** ocf_log in TypeScript: `vip(web)[4242]: INFO: …` to stderr, syslog and PCMK_logfile. */
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  err(msg: string): void;
}

const labels: Record<LogLevel, string> = { debug: 'DEBUG', info: 'INFO', warn: 'WARNING', err: 'ERROR' };
const syslogPriority: Record<LogLevel, string> = { debug: 'debug', info: 'info', warn: 'warning', err: 'err' };

/** Settings read once from the environment by the dispatcher. */
export interface LogSettings {
  readonly tag: string;
  readonly debug: boolean;
  readonly logfile?: string;
  readonly syslogSocket?: string;
  readonly facility?: string;
}

export function logSettingsFromEnv(tag: string, env: Readonly<Record<string, string | undefined>>): LogSettings {
  const logfile = env.PCMK_logfile ?? env.HA_LOGFILE ?? env.HA_logfile;
  const facility = env.PCMK_logfacility ?? env.HA_LOGFACILITY ?? env.HA_logfacility ?? 'daemon';
  const debugWord = (env.HA_debug ?? env.PCMK_debug ?? '0').toLowerCase();
  return {
    tag,
    debug: ['1', 'yes', 'true', 'on'].includes(debugWord),
    ...(logfile && logfile !== 'none' && logfile !== '/dev/null' ? { logfile } : {}),
    ...(facility !== 'none' && existsSync('/dev/log') ? { syslogSocket: '/dev/log', facility } : {}),
  };
}

export function createLogger(settings: LogSettings, io: Io): Logger {
  const write = (level: LogLevel, msg: string): void => {
    if (level === 'debug' && !settings.debug) return;
    const line = `${settings.tag}: ${labels[level]}: ${msg}`;
    io.err(`${line}\n`);
    if (settings.logfile) {
      try {
        appendFileSync(settings.logfile, `${new Date().toISOString()} ${line}\n`);
      } catch {
        // A log file we cannot write must not change the operation's result.
      }
    }
    if (settings.syslogSocket) sendToSyslog(settings, level, `${labels[level]}: ${msg}`);
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    err: (m) => write('err', m),
  };
}

// Node cannot open the datagram socket /dev/log, so logger(1) carries the line; it is detached
// and unref'd so a stuck syslog daemon never delays the agent's exit.
function sendToSyslog(settings: LogSettings, level: LogLevel, msg: string): void {
  try {
    const { spawn } = process.getBuiltinModule('node:child_process'); // off the path of agents that log nothing
    const child = spawn(
      'logger',
      ['--socket-errors=off', '-u', settings.syslogSocket ?? '/dev/log', '-t', settings.tag, '-p', `${settings.facility}.${syslogPriority[level]}`, '--', msg],
      { stdio: 'ignore', detached: true },
    );
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // Syslog is best effort; stderr already has the line.
  }
}
