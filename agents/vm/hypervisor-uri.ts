// SPDX-License-Identifier: Apache-2.0

/**
 * True when `uri` is the QEMU driver of this node's own libvirt (qemu:///system, qemu:///session,
 * also through an explicit local socket: qemu+unix:///system?socket=…). Only then do this node's
 * processes tell whether a domain runs: a remote host's or another driver's guests (LXC, Xen) are
 * not QEMU processes here, so /proc showing none proves nothing about them.
 */
export function isLocalQemuUri(uri: string): boolean {
  const m = /^qemu(?:\+([A-Za-z0-9-]+))?:\/\/([^/?#]*)\/(system|session)(?:[?#].*)?$/.exec(uri);
  if (!m) return false;
  const [, transport, host = ''] = m;
  return (transport === undefined || transport === 'unix') && host === '';
}
