// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { OcfError } from '../../../../lib/ocf/index.js';
import { hostListWarnings, icmpHosts, parseHostList } from '../../../../agents/ping/host-list.js';

function rejection(text: string): OcfError {
  try {
    parseHostList(text);
  } catch (e) {
    if (e instanceof OcfError) return e;
    throw e;
  }
  throw new Error(`${JSON.stringify(text)} was accepted`);
}

describe('ping host_list', () => {
  it('reads IPv4, IPv6 and names, in order, separated by any white space', () => {
    expect(parseHostList(' 192.0.2.1\t2001:db8::1\n gw.example  gw ')).toEqual([
      { kind: 'icmp', entry: '192.0.2.1', host: '192.0.2.1' },
      { kind: 'icmp', entry: '2001:db8::1', host: '2001:db8::1' },
      { kind: 'icmp', entry: 'gw.example', host: 'gw.example' },
      { kind: 'icmp', entry: 'gw', host: 'gw' },
    ]);
  });

  it.each([
    ['tcp:192.0.2.1:22', '192.0.2.1', 22],
    ['tcp:[2001:db8::1]:443', '2001:db8::1', 443],
    ['TCP:gw.example:65535', 'gw.example', 65535],
  ])('reads %s as a TCP probe of %s port %i', (entry, host, port) => {
    expect(parseHostList(entry)).toEqual([{ kind: 'tcp', entry, host, port }]);
  });

  it('keeps duplicates (each listed entry counts) but pings a host once', () => {
    const targets = parseHostList('192.0.2.1 192.0.2.1 tcp:192.0.2.1:22 192.0.2.2');
    expect(targets).toHaveLength(4);
    expect(icmpHosts(targets)).toEqual(['192.0.2.1', '192.0.2.2']);
  });

  it.each(['', '   \t ', ' , '])('rejects an empty host_list %j with code 6, as the stock agent', (text) => {
    const e = rejection(text);
    expect(e.code).toBe(6);
    expect(e.reason).toContain('host_list is empty');
  });

  it.each([
    ['192.0.2.300', 'not a valid IPv4 address'],
    ['192.0.2.1.5', 'not a valid IPv4 address'],
    ['08.0.0.1', 'not a valid IPv4 address'], // 08 is no octal number for inet_aton either
    ['10.0.65536', 'not a valid IPv4 address'],
    ['2001:db8::1::2', 'not a valid IPv6 address'],
    ['-c5', 'neither an IP address nor a host name'],
    ['bad_host!', 'neither an IP address nor a host name'],
    ['tcp:gw', 'is not tcp:HOST:PORT'],
    ['tcp:2001:db8::1:22', 'is not tcp:HOST:PORT'],
    ['tcp:[192.0.2.1]:22', 'is not an IPv6 address'],
    ['tcp:gw:0', "port '0' is not a number from 1 to 65535"],
    ['tcp:gw:70000', "port '70000' is not a number from 1 to 65535"],
    ['tcp:gw:ssh', "port 'ssh' is not a number"],
    ['tcp::22', 'is not tcp:HOST:PORT'],
  ])('keeps the malformed entry %j as unreachable (stock fping cannot reach it either): %s', (text, reason) => {
    const targets = parseHostList(`192.0.2.1 ${text}`);
    expect(targets[0]).toEqual({ kind: 'icmp', entry: '192.0.2.1', host: '192.0.2.1' });
    expect(targets[1]).toMatchObject({ kind: 'invalid', entry: text });
    expect(targets[1]?.kind === 'invalid' && targets[1].reason).toContain(reason);
    expect(icmpHosts(targets)).toEqual(['192.0.2.1']); // never handed to fping, where '-c5' would be an option
    expect(hostListWarnings(`192.0.2.1 ${text}`, targets).join('\n')).toContain('counts as unreachable');
  });

  it.each([
    ['127.1', '127.0.0.1'],
    ['10.1', '10.0.0.1'],
    ['192.0.2', '192.0.0.2'],
    ['010.0.0.1', '8.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['3221225985', '192.0.2.1'],
  ])('reads the short IPv4 form %s as fping and ping do (inet_aton): %s', (entry, host) => {
    expect(parseHostList(entry)).toEqual([{ kind: 'icmp', entry, host }]);
    expect(parseHostList(`tcp:${entry}:22`)).toEqual([{ kind: 'tcp', entry: `tcp:${entry}:22`, host, port: 22 }]);
  });

  it.each(['3d.cafe', '4ad.de', '2b.ca'])('reads %s, which only looks like a number, as a host name', (entry) => {
    expect(parseHostList(entry)).toEqual([{ kind: 'icmp', entry, host: entry }]);
  });

  it('reads commas as separators, as the user meant, and warns', () => {
    const targets = parseHostList('192.0.2.1,192.0.2.2, gw');
    expect(targets.map((t) => t.entry)).toEqual(['192.0.2.1', '192.0.2.2', 'gw']);
    expect(hostListWarnings('192.0.2.1,192.0.2.2, gw', targets)).toEqual([
      "host_list '192.0.2.1,192.0.2.2, gw' separates hosts with commas; the stock agent expects spaces (read here as 3 entries)",
    ]);
  });
});
