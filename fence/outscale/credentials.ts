// SPDX-License-Identifier: Apache-2.0
import { accessSync, constants, readFileSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { inspect } from 'node:util';
import { FenceError, type Env } from '../../lib/fence/index.js';
import { ExecFailed, query } from '../../lib/exec/index.js';
import type { Deadline } from '../../lib/time/index.js';
import { errnoCode, isRecord } from '../../lib/unknown/index.js';
import type { OutscaleOptions } from './options.js';

/** A secret that prints as *** wherever it ends up by mistake (logs, JSON, errors, inspect). */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '***';
  }
  toJSON(): string {
    return '***';
  }
  [inspect.custom](): string {
    return 'Secret(***)';
  }
}

export interface Credentials {
  readonly accessKey: string;
  readonly secretKey: Secret;
  /** Where they came from, for messages: "stdin options", "OSC_ACCESS_KEY/OSC_SECRET_KEY", "profile default of …". */
  readonly source: string;
}

/** The settings a profile of ~/.osc/config.json may hold (osc-config-spec). */
export interface Profile {
  readonly accessKey?: string;
  readonly secretKey?: string;
  readonly region?: string;
  readonly endpoint?: string;
}

type Warn = (message: string) => void;

/** Warns when a file that holds a secret is readable by its group or by others. */
export function warnIfShared(path: string, what: string, warn: Warn | undefined): void {
  if (warn === undefined) return;
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o044) !== 0)
      warn(
        `${what} ${path} is readable by ${(mode & 0o004) !== 0 ? 'others' : 'its group'} (mode ${mode.toString(8).padStart(4, '0')}): ` +
          `chmod 600 ${path}`,
      );
  } catch {
    // Unreadable files are reported by whoever reads them.
  }
}

/** Reads the profile the options and environment name; undefined when no file exists and none was asked for. */
export function loadProfile(o: OutscaleOptions, env: Env, warn?: Warn): { profile?: Profile; where: string } {
  const explicitFile = o.config_file ?? env.OSC_CONFIG_FILE;
  const file = explicitFile ?? join(env.HOME || homedir(), '.osc', 'config.json');
  const name = o.profile ?? env.OSC_PROFILE ?? 'default';
  const explicitProfile = o.profile !== undefined || env.OSC_PROFILE !== undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT' && explicitFile === undefined && !explicitProfile) return { where: file };
    throw new FenceError(`cannot read the Outscale configuration file ${file}: ${code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FenceError(`the Outscale configuration file ${file} is not valid JSON`);
  }
  const entry = isRecord(json) ? json[name] : undefined;
  if (!isRecord(entry)) {
    if (!explicitProfile) return { where: file };
    throw new FenceError(`profile '${name}' is not in ${file}: add it, or set profile= to one that is`);
  }
  const p = entry;
  if (typeof p.secret_key === 'string' && p.secret_key !== '') warnIfShared(file, 'the Outscale configuration file', warn);
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const endpoints = isRecord(p.endpoints) ? p.endpoints : {};
  const profile: Profile = {
    ...(str(p.access_key) ? { accessKey: str(p.access_key) } : {}),
    ...(str(p.secret_key) ? { secretKey: str(p.secret_key) } : {}),
    ...(str(p.region) ? { region: str(p.region) } : {}),
    ...(str(endpoints.api) ? { endpoint: str(endpoints.api) } : {}),
  };
  return { profile, where: `profile ${name} of ${file}` };
}

/** Credentials as found before anything runs: the secret itself, or the script that prints it. */
export type FoundCredentials =
  | { readonly accessKey: string; readonly source: string; readonly secretKey: Secret }
  | { readonly accessKey: string; readonly source: string; readonly script: string };

/**
 * Finds the access key and the secret: explicit options first (stdin, or the files and script
 * they name), then OSC_ACCESS_KEY/OSC_SECRET_KEY, then the profile (osc-config-spec order).
 * A secret_key_script is checked here and run by readCredentials.
 */
export function findCredentials(
  o: OutscaleOptions,
  env: Env,
  profile: { profile?: Profile; where: string },
  warn?: Warn,
): FoundCredentials {
  const accessKey = o.access_key ?? env.OSC_ACCESS_KEY ?? profile.profile?.accessKey;
  if (o.secret_key === undefined && o.secret_key_file === undefined && o.secret_key_script !== undefined) {
    checkScript(o.secret_key_script);
    const script = o.secret_key_script;
    return { accessKey: bothPresent(accessKey, script).accessKey, source: `secret_key_script ${script}`, script };
  }
  let secret: string | undefined;
  let source: string;
  if (o.secret_key !== undefined) {
    secret = o.secret_key;
    source = 'the secret_key option';
  } else if (o.secret_key_file !== undefined) {
    secret = readSecretFile(o.secret_key_file, 'secret_key_file', warn);
    source = `secret_key_file ${o.secret_key_file}`;
  } else if (env.OSC_SECRET_KEY !== undefined && env.OSC_SECRET_KEY !== '') {
    secret = env.OSC_SECRET_KEY;
    source = 'OSC_SECRET_KEY';
  } else {
    secret = profile.profile?.secretKey;
    source = profile.where;
  }
  const present = bothPresent(accessKey, secret);
  return { accessKey: present.accessKey, source, secretKey: new Secret(present.secret) };
}

/** The credentials, running secret_key_script within `deadline` when that is where the secret comes from. */
export async function readCredentials(found: FoundCredentials, deadline: Deadline): Promise<Credentials> {
  if (!('script' in found)) return found;
  const { secret } = bothPresent(found.accessKey, await runSecretScript(found.script, deadline));
  return { accessKey: found.accessKey, source: found.source, secretKey: new Secret(secret) };
}

/** Both parts, or the error that names the missing one(s) and where credentials may come from. */
function bothPresent(accessKey: string | undefined, secret: string | undefined): { accessKey: string; secret: string } {
  if (accessKey !== undefined && accessKey !== '' && secret !== undefined && secret !== '') return { accessKey, secret };
  const missing = [accessKey ? undefined : 'the access key', secret ? undefined : 'the secret key'].filter(Boolean).join(' and ');
  const verb = accessKey || secret ? 'is' : 'are';
  throw new FenceError(
    `no Outscale credentials: ${missing} ${verb} missing. Set access_key and secret_key on stdin, or OSC_ACCESS_KEY and OSC_SECRET_KEY, ` +
      `or a profile in ~/.osc/config.json (profile=, config_file=), or secret_key_file= / secret_key_script=`,
  );
}

/** The trimmed content of a file that holds a secret (secret_key_file, proxy_password_file). */
export function readSecretFile(path: string, what: string, warn: Warn | undefined): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (e) {
    const code = errnoCode(e);
    throw new FenceError(`cannot read ${what} ${path}: ${code ?? 'read error'}`);
  }
  warnIfShared(path, what, warn);
  return text;
}

/**
 * Before it is run, and by validate-all, which does not run it: an executable file given by its
 * absolute path (a bare name would be looked for in PATH, not where it was checked), that only
 * root (or this agent's user) can change: root runs it, so whoever can write it holds root.
 */
function checkScript(path: string): void {
  if (!isAbsolute(path)) throw new FenceError(`secret_key_script ${path} must be an absolute path`);
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    throw new FenceError(`secret_key_script ${path} cannot be found (${errnoCode(e) ?? 'stat error'})`);
  }
  if (!st.isFile()) throw new FenceError(`secret_key_script ${path} is not a file`);
  const uid = process.geteuid?.() ?? 0;
  if (st.uid !== 0 && st.uid !== uid) throw new FenceError(`secret_key_script ${path} belongs to uid ${st.uid}: chown root ${path}`);
  if ((st.mode & 0o022) !== 0) throw new FenceError(`secret_key_script ${path} is writable by others than its owner: chmod go-w ${path}`);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new FenceError(`secret_key_script ${path} is not executable: chmod 700 ${path}`);
  }
}

async function runSecretScript(path: string, deadline: Deadline): Promise<string> {
  try {
    const r = await query([path], { deadline });
    return r.stdout.trim();
  } catch (e) {
    // Only the exit status: the script's output could hold the secret.
    if (e instanceof ExecFailed) {
      const why = e.notFound
        ? 'not found or not executable'
        : e.timedOut
          ? 'did not finish within login_timeout (or the time left to the action)'
          : `exited ${e.exitCode ?? 'on a signal'}`;
      throw new FenceError(`secret_key_script ${path} ${why}`);
    }
    throw new FenceError(`secret_key_script ${path} could not be run`);
  }
}
