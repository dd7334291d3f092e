// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { DomainXmlError, parseDomainXml } from '../../../../agents/vm/domain-xml.js';

const seapathXml = `<domain type='qemu'>
  <name>vm1</name>
  <uuid>0B2F6A3C-1D4E-4F5A-8B9C-0D1E2F3A4B5C</uuid>
  <memory unit='MiB'>128</memory>
  <vcpu placement='static'>2</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type="network" device="disk">
      <driver name="qemu" type="raw" cache="writeback"/>
      <auth username="libvirt"><secret type="ceph" uuid="4e5b"/></auth>
      <source protocol="rbd" name="rbd/system_vm1"><host name="198.51.100.10" port="6789"/></source>
      <target dev="vda" bus="virtio"/>
    </disk>
    <disk type="network" device="disk">
      <source protocol="rbd" name="rbd/data_vm1_0@snap1"/>
      <target dev="vdb" bus="virtio"/>
    </disk>
    <disk type='file' device='cdrom'><source file='/tmp/x.iso'/><target dev='hdc'/></disk>
  </devices>
</domain>`;

describe('parseDomainXml', () => {
  it('reads the name, a lower-cased uuid, vCPUs and memory in MiB', () => {
    const d = parseDomainXml(seapathXml);
    expect(d).toMatchObject({ name: 'vm1', uuid: '0b2f6a3c-1d4e-4f5a-8b9c-0d1e2f3a4b5c', vcpus: 2, memoryMiB: 128 });
  });

  it('lists every rbd disk as pool/image, without snapshot names, and ignores file disks', () => {
    expect(parseDomainXml(seapathXml).rbdImages).toEqual(['rbd/system_vm1', 'rbd/data_vm1_0']);
  });

  it.each([
    ['<memory>131072</memory>', 128],
    ["<memory unit='KiB'>65536</memory>", 64],
    ["<memory unit='G'>1</memory>", 1024],
    ["<memory unit='bytes'>134217728</memory>", 128],
  ])('converts %s to %i MiB', (memory, mib) => {
    expect(parseDomainXml(`<domain><name>a</name>${memory}</domain>`).memoryMiB).toBe(mib);
  });

  it.each([
    ["<vcpu placement='static'>4</vcpu>", 4],
    ["<vcpu placement='static' current='2'>8</vcpu>", 2],
    ['<vcpu>0</vcpu>', undefined],
  ])('counts %s as %s vCPUs, as virsh dominfo does', (vcpu, count) => {
    expect(parseDomainXml(`<domain><name>a</name>${vcpu}</domain>`).vcpus).toBe(count);
  });

  it('takes a single disk as a list too, and a domain without devices has no rbd images', () => {
    expect(
      parseDomainXml(`<domain><name>a</name><devices><disk type='network'><source protocol='rbd' name='p/i'/></disk></devices></domain>`)
        .rbdImages,
    ).toEqual(['p/i']);
    expect(parseDomainXml('<domain><name>a</name></domain>')).toMatchObject({ rbdImages: [], uuid: undefined, vcpus: undefined });
  });

  it.each([
    ['text that is not XML', 'not well-formed'],
    ['<domain><name>a</domain>', 'not well-formed'],
    ['<network><name>a</name></network>', 'not <domain>'],
    ['<domain><uuid>x</uuid></domain>', 'no <name>'],
    ['<domain><name> </name></domain>', 'no <name>'],
  ])('rejects %j (%s)', (text, message) => {
    expect(() => parseDomainXml(text)).toThrow(DomainXmlError);
    expect(() => parseDomainXml(text)).toThrow(message);
  });
});
