// SPDX-License-Identifier: Apache-2.0
import { isIP } from 'node:net';
import { Ocf, OcfError } from '../../lib/ocf/index.js';

/**
 * One entry of host_list: a host to ping, a `tcp:HOST:PORT` to connect to, or an entry that is
 * neither, which counts as unreachable (the stock agent hands it to fping, which cannot reach it).
 */
export type Target =
  | { readonly kind: 'icmp'; readonly entry: string; readonly host: string }
  | { readonly kind: 'tcp'; readonly entry: string; readonly host: string; readonly port: number }
  | { readonly kind: 'invalid'; readonly entry: string; readonly reason: string };

const hostnameLabel = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * Parses host_list: entries separated by white space, each an IPv4 or IPv6 address, a host
 * name, or `tcp:HOST:PORT` (`tcp:[IPv6]:PORT`). IPv4 and IPv6 may be mixed. Commas also
 * separate entries (a typo the stock agent survives; `hostListWarnings` names it). An empty list
 * is wrong on every node (6), as in the stock agent; a malformed entry is not: it counts as
 * unreachable, as the stock agent's fping counts it, and the others are still measured.
 * Entries keep their order and duplicates, since the stock agent counts every listed entry.
 */
export function parseHostList(text: string): Target[] {
  const entries = text.split(/[\s,]+/).filter((e) => e !== '');
  if (entries.length === 0) throw new OcfError(Ocf.ERR_CONFIGURED, 'host_list is empty: list the hosts to ping, separated by spaces');
  return entries.map(parseEntry);
}

/** What a user should fix in host_list although the agent goes on: commas, malformed entries. */
export function hostListWarnings(text: string, targets: readonly Target[]): string[] {
  const warnings: string[] = [];
  if (text.includes(','))
    warnings.push(
      `host_list '${text.trim()}' separates hosts with commas; the stock agent expects spaces (read here as ${targets.length} entries)`,
    );
  for (const t of targets) if (t.kind === 'invalid') warnings.push(`${t.reason}: it counts as unreachable`);
  return warnings;
}

function parseEntry(entry: string): Target {
  try {
    if (entry.toLowerCase().startsWith('tcp:')) return parseTcpEntry(entry);
    return { kind: 'icmp', entry, host: checkHost(entry, entry) };
  } catch (e) {
    if (e instanceof InvalidEntry) return { kind: 'invalid', entry, reason: e.message };
    throw e;
  }
}

class InvalidEntry extends Error {}

function parseTcpEntry(entry: string): Target {
  const rest = entry.slice('tcp:'.length);
  const m = /^\[([^\]]+)\]:([^:]*)$/.exec(rest) ?? /^([^:[\]]+):([^:]*)$/.exec(rest);
  if (!m) throw invalid(`host_list entry '${entry}' is not tcp:HOST:PORT (write an IPv6 host as tcp:[2001:db8::1]:PORT)`);
  const [, host = '', portText = ''] = m;
  if (rest.startsWith('[') && isIP(host) !== 6) throw invalid(`host_list entry '${entry}': '${host}' in brackets is not an IPv6 address`);
  const address = checkHost(host, entry);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535)
    throw invalid(`host_list entry '${entry}': port '${portText}' is not a number from 1 to 65535`);
  return { kind: 'tcp', entry, host: address, port: Number(portText) };
}

// Refusing anything that is not an address or a host name also keeps entries from being read
// as options by fping or ping (an entry starting with '-'). Returns the host to probe.
function checkHost(host: string, entry: string): string {
  if (isIP(host) !== 0) return host;
  if (host.includes(':')) throw invalid(`host_list entry '${entry}': '${host}' is not a valid IPv6 address`);
  const address = /^\d[\dA-Fa-fXx.]*$/.test(host) ? inetAton(host) : undefined;
  if (address !== undefined) return address;
  if (/^[\d.]+$/.test(host)) throw invalid(`host_list entry '${entry}': '${host}' is not a valid IPv4 address`);
  // Not a number inet_aton reads: a host name, which may look like one (3d.cafe).
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || name.length > 253 || !name.split('.').every((label) => hostnameLabel.test(label)))
    throw invalid(`host_list entry '${entry}' is neither an IP address nor a host name`);
  return host;
}

/**
 * An IPv4 address as inet_aton reads it, which is how fping and ping read it (127.1, 10.1,
 * 010.0.0.1 = 8.0.0.1, 0x7f.1): 1 to 4 parts in decimal, octal (leading 0) or hex (0x), the last
 * filling the remaining bytes. Written as a dotted quad, so every probe reads it the same way.
 */
export function inetAton(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    if (!/^(?:0[xX][\dA-Fa-f]*|0[0-7]*|[1-9]\d*)$/.test(part)) return undefined;
    const lower = part.toLowerCase();
    values.push(
      lower.startsWith('0x')
        ? Number.parseInt(lower.slice(2) || '0', 16)
        : lower.startsWith('0')
          ? Number.parseInt(lower, 8)
          : Number(lower),
    );
  }
  const last = values.pop() ?? 0;
  if (values.some((v) => v > 255) || last >= 2 ** (8 * (4 - values.length))) return undefined;
  const bytes = [...values];
  for (let i = 4 - values.length - 1; i >= 0; i--) bytes.push(Math.floor(last / 2 ** (8 * i)) % 256);
  return bytes.join('.');
}

function invalid(reason: string): InvalidEntry {
  return new InvalidEntry(reason);
}

/** The distinct hosts to ping, in list order: a host listed twice is probed once and counted twice. */
export function icmpHosts(targets: readonly Target[]): string[] {
  return [...new Set(targets.filter((t) => t.kind === 'icmp').map((t) => t.host))];
}
