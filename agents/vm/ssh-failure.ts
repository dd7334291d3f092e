// SPDX-License-Identifier: Apache-2.0

const sshUri = /^[A-Za-z0-9-]+\+ssh:\/\/(?:([^@/?#]+)@)?([^/:?#]+)/;

/**
 * Why `virsh migrate` could not reach the target over ssh, from what ssh printed through virsh
 * ("Cannot recv data: Host key verification failed."), as a cause and what to do; undefined when
 * the URI is not an ssh one or the failure is not ssh's.
 */
export function sshFailureCause(remoteUri: string, stderr: string): string | undefined {
  const m = sshUri.exec(remoteUri);
  if (!m) return undefined;
  const [, user, host = '?'] = m;
  const account = `${user ?? 'root'}@${host}`;
  if (/Host key verification failed/.test(stderr)) {
    const changed = /REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr);
    return (
      `ssh to ${account} failed: ${host}'s host key is ${changed ? 'not the one' : 'not'} in root's known_hosts here ` +
      `(Host key verification failed); add ${host}'s current host key to /root/.ssh/known_hosts`
    );
  }
  const denied = /Permission denied \(([^)]*)\)/.exec(stderr);
  if (denied)
    return (
      `ssh to ${account} failed: ${host} refused root's key (Permission denied (${denied[1]})); put root's public key in ` +
      `${user ?? 'root'}'s authorized_keys on ${host}`
    );
  const unreachable = /ssh: connect to host \S+ port \d+: ([^\n:]+)|ssh: Could not resolve hostname [^\n:]+: ([^\n]+)/.exec(stderr);
  if (unreachable) return `ssh to ${account} failed: ${(unreachable[1] ?? unreachable[2] ?? '').trim()} (is sshd running on ${host}?)`;
  return undefined;
}
