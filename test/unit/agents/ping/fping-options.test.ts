// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { OcfError } from '../../../../lib/ocf/index.js';
import { sortFpingOptions } from '../../../../agents/ping/fping-options.js';

describe('fping options', () => {
  it.each([
    [['-A'], [], ['-A (shows hosts by address)']],
    [['-n', '-I', 'eth0'], ['-I', 'eth0'], ['-n (shows hosts by reverse-DNS name)']],
    [['--rdns', '-b', '64'], ['-b', '64'], ['--rdns (shows hosts by reverse-DNS name)']],
    [['-Ad'], [], ['-A (shows hosts by address)', '-d (shows hosts by reverse-DNS name)']],
    [['-at500'], ['-t500'], ['-a (lists alive hosts without "is alive")']],
    [['-4', '-S', '192.0.2.1', '--ttl=3', '-e'], ['-4', '-S', '192.0.2.1', '--ttl=3', '-e'], []],
  ])('%j: passes %j and leaves out the display options %j', (options, kept, dropped) => {
    expect(sortFpingOptions(options)).toEqual({ kept, dropped });
  });

  it.each([['-q'], ['-c', '3'], ['-C3'], ['--loop'], ['-u'], ['-sq'], ['-x', '1'], ['-f', '/etc/hosts']])(
    'refuses %j with 2 (this node: ping takes them elsewhere): fping would report no per-host answer',
    (...options) => {
      let error: unknown;
      try {
        sortFpingOptions(options);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(OcfError);
      expect((error as OcfError).code).toBe(2);
      expect((error as OcfError).reason).toContain('leaves the agent no per-host answer');
    },
  );
});
