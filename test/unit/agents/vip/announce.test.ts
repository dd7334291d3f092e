// SPDX-License-Identifier: Apache-2.0
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../../../agents/vip/address.js';
import { sendArpPath, stopAnnouncers } from '../../../../agents/vip/announce.js';
import { sleep } from '../../../../lib/time/index.js';

// A process that looks like a sender in /proc: argv[0] send_arp's path, the address among its arguments.
// With `ownNetwork`, in a network namespace of its own, as another lab node's would be.
function fakeSender(address: string, ownNetwork = false): number {
  const script = ['-c', 'sleep 30; :', 'sender', address];
  const child = ownNetwork
    ? spawn('unshare', ['--net', '--', 'bash', '-c', 'exec -a "$0" bash "$@"', sendArpPath, ...script], { stdio: 'ignore', detached: true })
    : spawn('bash', script, { argv0: sendArpPath, stdio: 'ignore', detached: true });
  child.unref();
  return child.pid ?? -1;
}

const running = (pid: number): boolean =>
  existsSync(`/proc/${pid}/stat`) && readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';

describe('stop ends the background senders of its address', () => {
  // Addresses no other test uses: a stop run by another test file, in a parallel worker, scans /proc too.
  it("kills a sender of its address found in /proc, and leaves another address's, and another node's (network namespace)", async () => {
    const ours = fakeSender('192.0.2.210');
    const other = fakeSender('192.0.2.211');
    const otherNode = fakeSender('192.0.2.210', true);
    await sleep(300);
    for (const pid of [ours, otherNode]) expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]).toBe(sendArpPath);
    try {
      stopAnnouncers(parseAddress('192.0.2.210'));
      // a loaded machine may take a while to deliver the signal: wait for it, not a fixed time
      for (let i = 0; i < 40 && running(ours); i++) await sleep(50);
      expect(running(ours)).toBe(false);
      expect(running(other)).toBe(true);
      expect(running(otherNode)).toBe(true);
    } finally {
      for (const pid of [ours, other, otherNode]) if (running(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
