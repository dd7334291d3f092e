// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { isLocalQemuUri } from '../../../../agents/vm/hypervisor-uri.js';

describe("isLocalQemuUri: whether this node's /proc shows the hypervisor's guests", () => {
  it.each([
    ['qemu:///system', true],
    ['qemu:///session', true],
    ['qemu+unix:///system?socket=/run/n1/libvirt-sock', true],
    ['qemu+tcp://127.0.0.1:1/system', false],
    ['qemu://n2/system', false],
    ['qemu+ssh://root@n2/system', false],
    ['lxc:///', false],
    ['xen:///system', false],
    ['qemu:///embed?root=/tmp/x', false],
  ])('%s → %s', (uri, expected) => {
    expect(isLocalQemuUri(uri)).toBe(expected);
  });
});
