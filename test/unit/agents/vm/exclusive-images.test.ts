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
