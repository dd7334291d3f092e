// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { parseParams } from '../../../../lib/spec/params.js';
import { vmIdentityOf } from '../../../../agents/vm/identity.js';
import { vmParams } from '../../../../agents/vm/spec.js';

const params = (env: Record<string, string>) =>
  parseParams(vmParams, Object.fromEntries(Object.entries(env).map(([k, v]) => [`OCF_RESKEY_${k}`, v])));

describe('vmIdentityOf', () => {
  it('with seapath=true, names the VM after the config file, as SEAPATH does, and its image system_<vm>', () => {
    expect(vmIdentityOf(params({ seapath: 'true', config: '/etc/pacemaker/guest1.xml' }), 'guest1')).toEqual({
      name: 'guest1', config: '/etc/pacemaker/guest1.xml', systemImage: 'rbd/system_guest1',
    });
  });

  it('with seapath=true and no config, keeps the XML where vm_manager would', () => {
    expect(vmIdentityOf(params({ seapath: 'true', pool: 'vms' }), 'guest1')).toEqual({
      name: 'guest1', config: '/etc/pacemaker/guest1.xml', systemImage: 'vms/system_guest1',
    });
  });

  it('with seapath=false, the VM is the resource (clone suffix dropped), and has no system image', () => {
    expect(vmIdentityOf(params({ config: '/srv/web.xml' }), 'web:1')).toEqual({ name: 'web', config: '/srv/web.xml', systemImage: undefined });
  });

  it.each([
    [{}, 'config is not set'],
    [{ config: 'relative.xml' }, 'absolute path'],
    [{ seapath: 'true', config: '/etc/pacemaker/.xml' }, 'cannot take a VM name'],
  ])('%o is a configuration error (6): %s', (env, message) => {
    expect(() => vmIdentityOf(params(env), 'x')).toThrow(message);
    try {
      vmIdentityOf(params(env), 'x');
    } catch (e) {
      expect((e as { code: number }).code).toBe(6);
    }
  });
});
