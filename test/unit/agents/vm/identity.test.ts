// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseParams } from '../../../../lib/spec/params.js';
import { domainNameIn, vmIdentityOf, vmSourceOf } from '../../../../agents/vm/identity.js';
import { vmParams } from '../../../../agents/vm/spec.js';

const params = (env: Record<string, string>) =>
  parseParams(vmParams, Object.fromEntries(Object.entries(env).map(([k, v]) => [`OCF_RESKEY_${k}`, v])));
const noState = { load: () => undefined };
const identityOf = (p: ReturnType<typeof params>, instance: string, state: typeof noState) => vmIdentityOf(vmSourceOf(p, instance), state);
const saved = (name: string) => ({ load: <T>() => ({ name }) as T });
const dir = mkdtempSync(join(tmpdir(), 'vm-identity-'));
// SEAPATH's vm_manager/testdata/vm.xml is named test0; its add_vm.py makes resource vm1 of it.
const test0 = join(dir, 'vm1.xml');
writeFileSync(test0, "<domain type='kvm'>\n  <name>test0</name>\n  <uuid>0b2f6a3c-1d4e-4f5a-8b9c-0d1e2f3a4b5c</uuid>\n</domain>\n");

describe('vmSourceOf', () => {
  it('with seapath=true, names the system image after the config file, as SEAPATH does', () => {
    expect(vmSourceOf(params({ seapath: 'true', config: '/etc/pacemaker/guest1.xml' }), 'guest1')).toEqual({
      config: '/etc/pacemaker/guest1.xml',
      systemImage: 'rbd/system_guest1',
    });
  });

  it('with seapath=true and no config, keeps the XML where vm_manager would', () => {
    expect(vmSourceOf(params({ seapath: 'true', pool: 'vms' }), 'guest1')).toEqual({
      config: '/etc/pacemaker/guest1.xml',
      systemImage: 'vms/system_guest1',
    });
  });

  it.each([
    [{}, 'config is not set'],
    [{ config: 'relative.xml' }, 'absolute path'],
    [{ seapath: 'true', config: '/etc/pacemaker/.xml' }, 'cannot take a VM name'],
  ])('%o is a configuration error (6): %s', (env, message) => {
    expect(() => vmSourceOf(params(env), 'x')).toThrow(message);
    try {
      vmSourceOf(params(env), 'x');
    } catch (e) {
      expect((e as { code: number }).code).toBe(6);
    }
  });
});

describe('vmIdentityOf: the domain is the <name> of the XML, as in stock VirtualDomain', () => {
  it.each(['false', 'true'])('resource vm1 with an XML named test0 is domain test0 (seapath=%s)', (seapath) => {
    const vm = identityOf(params({ seapath, config: test0 }), 'vm1', noState);
    expect(vm.name).toBe('test0');
    expect(vm.systemImage).toBe(seapath === 'true' ? 'rbd/system_vm1' : undefined);
  });

  it('falls back on the name saved at start only when the XML cannot be read', () => {
    expect(identityOf(params({ config: test0 }), 'vm1', saved('older')).name).toBe('test0');
    expect(identityOf(params({ config: join(dir, 'gone.xml') }), 'vm1', saved('test0')).name).toBe('test0');
  });

  it('with seapath=true and neither XML nor saved name, uses the config file name, as SEAPATH does', () => {
    expect(identityOf(params({ seapath: 'true', config: join(dir, 'gone.xml') }), 'vm1', noState).name).toBe('gone');
  });

  it('with seapath=false and nothing to name the domain, is ERR_INSTALLED (a stop says stopped, a probe not running)', () => {
    expect(() => identityOf(params({ config: join(dir, 'gone.xml') }), 'vm1', noState)).toThrow(
      /cannot read config file .*gone.xml: ENOENT, so the domain name is unknown/,
    );
  });
});

describe('domainNameIn', () => {
  it.each([
    ["<domain type='qemu'><name>vm1</name></domain>", 'vm1'],
    [
      '<?xml version="1.0"?>\n<!-- <name>old</name> -->\n<domain>\n  <metadata><app:x><name>meta</name></app:x></metadata>\n  <name> ' +
        'a&amp;b </name>\n</domain>',
      'a&b',
    ],
    ['<domain><uuid>x</uuid></domain>', undefined],
    ['not xml', undefined],
  ])('%s → %s', (text, name) => {
    expect(domainNameIn(text)).toBe(name);
  });
});
