// SPDX-License-Identifier: Apache-2.0
import { Ocf, OcfError } from '../../lib/ocf/index.js';

export type Family = 4 | 6;

/** The address to float, in canonical text form, and its family. */
export interface FloatingAddress {
  readonly text: string;
  readonly family: Family;
}

// node:net's isIP would load net and stream on every monitor: these are all we need.
const ipv4Pattern = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A dotted-quad IPv4 address, without leading zeros. */
export function isIPv4(text: string): boolean {
  return ipv4Pattern.test(text);
}

/** An IPv6 address, as the URL parser reads one between brackets (no zone index). */
export function isIPv6(text: string): boolean {
  return text.includes(':') && /^[0-9A-Fa-f:.]+$/.test(text) && URL.canParse(`http://[${text}]/`);
}

/** Parses the `ip` parameter; a malformed address is wrong everywhere (6). */
export function parseAddress(ip: string): FloatingAddress {
  const text = ip.trim();
  if (isIPv4(text)) return { text, family: 4 };
  if (isIPv6(text)) return { text: canonicalIPv6(text), family: 6 };
  throw new OcfError(Ocf.ERR_CONFIGURED, `ip '${ip}' is not a valid IPv4 or IPv6 address`);
}

/** Parses cidr_netmask: a prefix length, or for IPv4 a dotted netmask. Malformed is 6. */
export function parsePrefix(value: string, family: Family): number {
  const text = value.trim();
  const max = family === 4 ? 32 : 128;
  if (/^\d+$/.test(text)) {
    const prefix = Number(text);
    // 0 would make the address's prefix route a default route through this interface.
    if (prefix >= 1 && prefix <= max) return prefix;
    throw new OcfError(Ocf.ERR_CONFIGURED, `cidr_netmask ${text} is out of range for IPv${family} (1-${max})`);
  }
  if (family === 4 && isIPv4(text)) {
    const bits = text
      .split('.')
      .map((o) => Number(o).toString(2).padStart(8, '0'))
      .join('');
    if (/^1+0*$/.test(bits)) return bits.indexOf('0') === -1 ? 32 : bits.indexOf('0');
  }
  throw new OcfError(Ocf.ERR_CONFIGURED, `cidr_netmask '${value}' is not a prefix length${family === 4 ? ' or a contiguous netmask' : ''}`);
}

/** RFC 5952 text for an IPv6 address (the URL serializer compresses it exactly so), as the kernel reports it. */
export function canonicalIPv6(text: string): string {
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

/** The canonical text of a /proc/net/if_inet6 address. */
export function hexToIPv6(hex: string): string {
  const groups = hex.match(/.{4}/g) ?? [];
  return canonicalIPv6(groups.join(':'));
}
