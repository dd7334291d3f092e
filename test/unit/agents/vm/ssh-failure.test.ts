// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { sshFailureCause } from '../../../../agents/vm/ssh-failure.js';

const uri = 'qemu+ssh://libvirtadmin@node2/system';
// What virsh migrate prints when libvirt's ssh transport fails (ssh's own lines come first).
const virsh = (ssh: string) => `${ssh}\nerror: Cannot recv data: ${ssh.split('\n').at(-1)}: Connection reset by peer`;

describe('sshFailureCause', () => {
  it('names the peer and the unknown host key', () => {
    const r = sshFailureCause(
      uri,
      virsh('No ED25519 host key is known for node2 and you have requested strict checking.\nHost key verification failed.'),
    );
    expect(r).toBe(
      "ssh to libvirtadmin@node2 failed: node2's host key is not in root's known_hosts here (Host key verification failed); add " +
        "node2's current host key to /root/.ssh/known_hosts",
    );
  });
  it('tells a changed host key from an unknown one', () => {
    const r = sshFailureCause(uri, virsh('@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.'));
    expect(r).toContain("node2's host key is not the one in root's known_hosts");
  });
  it('names the account that refused the key', () => {
    const r = sshFailureCause(uri, virsh('libvirtadmin@node2: Permission denied (publickey).'));
    expect(r).toBe(
      "ssh to libvirtadmin@node2 failed: node2 refused root's key (Permission denied (publickey)); put root's public key in " +
        "libvirtadmin's authorized_keys on node2",
    );
  });
  it('says sshd does not answer', () => {
    expect(sshFailureCause(uri, virsh('ssh: connect to host node2 port 22: Connection refused'))).toBe(
      'ssh to libvirtadmin@node2 failed: Connection refused (is sshd running on node2?)',
    );
    expect(sshFailureCause(uri, virsh('ssh: connect to host node2 port 22: Connection timed out'))).toContain('Connection timed out');
  });
  it('defaults to root when the URI names no user', () => {
    expect(sshFailureCause('qemu+ssh://node2/system', 'Permission denied (publickey).')).toContain('ssh to root@node2 failed');
  });
  it('leaves other transports and other failures alone', () => {
    expect(sshFailureCause('qemu+tcp://node2/system', 'Host key verification failed.')).toBeUndefined();
    expect(sshFailureCause(uri, 'error: internal error: unable to execute QEMU command')).toBeUndefined();
  });
});
