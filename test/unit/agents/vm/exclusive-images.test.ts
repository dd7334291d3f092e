// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { parseDomainXml } from '../../../../agents/vm/domain-xml.js';

const disk = (name: string, extra = '') =>
  `<disk type="network" device="disk"><source protocol="rbd" name="${name}"/><target dev="vdx"/>${extra}</disk>`;

describe('the rbd images the image guard checks', () => {
  it('leaves out disks marked <shareable/> or <readonly/>: other hosts may hold those by design', () => {
    const d = parseDomainXml(
      `<domain><name>vm1</name><devices>${disk('rbd/system_vm1')}${disk('rbd/quorum', '<shareable/>')}` +
        `${disk('rbd/iso', '<readonly/>')}${disk('rbd/data_vm1_0')}</devices></domain>`,
    );
    expect(d.rbdImages).toEqual(['rbd/system_vm1', 'rbd/quorum', 'rbd/iso', 'rbd/data_vm1_0']);
    expect(d.exclusiveRbdImages).toEqual(['rbd/system_vm1', 'rbd/data_vm1_0']);
  });

  it('keeps an image that is also attached writable and unshared elsewhere in the XML', () => {
    const d = parseDomainXml(`<domain><name>vm1</name><devices>${disk('rbd/d', '<readonly/>')}${disk('rbd/d@s')}</devices></domain>`);
    expect(d.exclusiveRbdImages).toEqual(['rbd/d']);
  });
});

describe('krbd devices and disks the guard cannot map', () => {
  const block = (dev: string, extra = '') => `<disk type="block" device="disk"><source dev="${dev}"/><target dev="vdy"/>${extra}</disk>`;

  it('names krbd devices as disks it does not check: every node that may run the VM maps them (rbdmap), so each watches', () => {
    const d = parseDomainXml(
      `<domain><name>vm1</name><devices>${block('/dev/rbd/rbd/vm1-root')}${block('/dev/rbd/rbd/vm1-root-part1')}` +
        `${block('/dev/rbd/rbd/iso', '<readonly/>')}${block('/dev/sdb')}</devices></domain>`,
    );
    expect(d.exclusiveRbdImages).toEqual([]);
    expect(d.unguardedDisks).toEqual(['block device /dev/rbd/rbd/vm1-root (vdy)', 'block device /dev/rbd/rbd/vm1-root-part1 (vdy)']);
  });

  it('names the storage-pool volumes and unmapped krbd devices it cannot check, unless shared or read-only', () => {
    const d = parseDomainXml(
      '<domain><name>vm1</name><devices>' +
        '<disk type="volume" device="disk"><source pool="ceph" volume="vm1-root"/><target dev="vda"/></disk>' +
        '<disk type="volume" device="disk"><source pool="ceph" volume="quorum"/><target dev="vdb"/><shareable/></disk>' +
        `${block('/dev/rbd3')}${block('/dev/sdc')}<disk type="file"><source file="/x.iso"/><target dev="hdc"/></disk>` +
        '</devices></domain>',
    );
    expect(d.unguardedDisks).toEqual(['volume vm1-root of pool ceph (vda)', 'block device /dev/rbd3 (vdy)']);
    expect(d.exclusiveRbdImages).toEqual([]);
  });
});
