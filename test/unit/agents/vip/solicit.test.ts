// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { neighbourCandidates, parseNeighbours, solicitationCandidates } from '../../../../agents/vip/solicit.js';

describe('solicitationCandidates', () => {
  it.each([
    ['192.0.2.50', 24, 3, ['192.0.2.254', '192.0.2.253', '192.0.2.252']],
    ['192.0.2.254', 24, 2, ['192.0.2.253', '192.0.2.252']],
    ['192.0.2.9', 30, 5, ['192.0.2.10']], // .8 network and .11 broadcast are never solicited
    ['192.0.2.10', 31, 5, ['192.0.2.11']],
    ['192.0.2.10', 32, 5, []],
    ['10.0.0.1', 8, 1, ['10.255.255.254']],
  ])('%s/%i: the top of the prefix down, itself excluded', (ip, prefix, count, expected) => {
    expect(solicitationCandidates(ip, prefix, count)).toEqual(expected);
  });
});

describe('parseNeighbours', () => {
  it('lists every cached neighbour whatever its state', () => {
    const json =
      '[{"dst":"192.0.2.1","dev":"eth0","lladdr":"02:00:00:00:00:01","state":["REACHABLE"]},' +
      '{"dst":"192.0.2.254","dev":"eth0","state":["FAILED"]}]';
    expect([...parseNeighbours(json)]).toEqual(['192.0.2.1', '192.0.2.254']);
  });

  it('an empty table', () => {
    expect(parseNeighbours('').size).toBe(0);
    expect(parseNeighbours('[]').size).toBe(0);
  });
});

describe('neighbourCandidates', () => {
  it('a /32 finds its neighbours in the other subnets of its interface, never itself', () => {
    const subnets = [{ address: '192.0.2.1', prefix: 29 }];
    expect(neighbourCandidates('192.0.2.5', 32, subnets)).toEqual(['192.0.2.6', '192.0.2.4', '192.0.2.3', '192.0.2.2']);
  });

  it('its own prefix first, without repeating what the interface subnet also holds', () => {
    expect(neighbourCandidates('192.0.2.9', 30, [{ address: '192.0.2.1', prefix: 28 }])).toEqual([
      '192.0.2.10',
      '192.0.2.14',
      '192.0.2.13',
      '192.0.2.12',
      '192.0.2.11',
      '192.0.2.8',
      '192.0.2.7',
      '192.0.2.6',
      '192.0.2.5',
      '192.0.2.4',
      '192.0.2.3',
      '192.0.2.2',
    ]);
  });

  it("never one of the node's own addresses: a datagram to it would go through lo and make no ARP request", () => {
    const subnets = [{ address: '192.0.2.1', prefix: 29 }];
    expect(neighbourCandidates('192.0.2.5', 32, subnets, new Set(['192.0.2.6', '192.0.2.1']))).toEqual([
      '192.0.2.4',
      '192.0.2.3',
      '192.0.2.2',
    ]);
  });

  it('nothing when the interface has no other subnet', () => {
    expect(neighbourCandidates('192.0.2.5', 32, [])).toEqual([]);
  });
});
