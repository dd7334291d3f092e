// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { OcfError } from '../../../../lib/ocf/index.js';
import { canonicalIPv6, hexToIPv6, parseAddress, parsePrefix } from '../../../../agents/vip/address.js';
import { parseRoutes } from '../../../../agents/vip/iproute.js';

describe('vip addresses', () => {
  it.each([
    ['192.0.2.10', 4, '192.0.2.10'],
    ['2001:DB8:0:0::10', 6, '2001:db8::10'],
    ['2001:db8:0:0:1:0:0:1', 6, '2001:db8::1:0:0:1'],
    [' 2001:db8::1 ', 6, '2001:db8::1'],
    ['::ffff:192.0.2.1', 6, '::ffff:c000:201'],
    ['0.0.0.0', 4, '0.0.0.0'],
  ])('parses %j as IPv%i %s', (text, family, canonical) => {
    expect(parseAddress(text)).toEqual({ text: canonical, family });
  });

  it.each(['192.0.2.300', 'vip.example', '2001:db8::1::2', '', '1.2.3', '01.2.3.4', 'fe80::1%eth0', '[2001:db8::1]', '2001:db8::g'])(
    'rejects %j with code 6',
    (text) => {
      expect(() => parseAddress(text)).toThrow(OcfError);
      try {
        parseAddress(text);
      } catch (e) {
        expect((e as OcfError).code).toBe(6);
      }
    },
  );

  it.each([
    ['24', 4, 24],
    ['255.255.255.0', 4, 24],
    ['255.255.255.255', 4, 32],
    ['64', 6, 64],
  ])('reads prefix %j for IPv%i as /%i', (text, family, prefix) => {
    expect(parsePrefix(text, family as 4 | 6)).toBe(prefix);
  });

  it.each([
    ['33', 4],
    ['255.0.255.0', 4],
    ['129', 6],
    ['255.255.255.0', 6],
    ['/24', 4],
    ['0', 4], // a /0 prefix route is a default route through the interface
    ['0', 6],
    ['0.0.0.0', 4],
  ])('rejects prefix %j for IPv%i', (text, family) => {
    expect(() => parsePrefix(text, family as 4 | 6)).toThrow(OcfError);
  });

  it('reads /proc/net/if_inet6 hex as canonical text', () => {
    expect(hexToIPv6('20010db8000000000000000000000010')).toBe('2001:db8::10');
    expect(canonicalIPv6('fe80:0:0:0:a8ec:5eff:fec8:c530')).toBe('fe80::a8ec:5eff:fec8:c530');
  });

  it('picks routes from ip -j output, dropping default routes', () => {
    const routes = parseRoutes(
      '[{"dst":"default","gateway":"192.0.2.254","dev":"eth0"},' +
        '{"dst":"192.0.2.0/24","dev":"eth0","prefsrc":"192.0.2.1"},' +
        '{"dst":"192.0.2.128/25","dev":"eth1","metric":5}]',
    );
    expect(routes).toEqual([
      { nic: 'eth0', prefix: 24, metric: 0 },
      { nic: 'eth1', prefix: 25, metric: 5 },
    ]);
  });
});
