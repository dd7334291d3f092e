// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { OcfError } from '../../../../lib/ocf/index.js';
import { boolean, integer, parseParams, select, string } from '../../../../lib/spec/index.js';

const spec = {
  name: string({ required: true, desc: 'Name.' }),
  count: integer({ default: 5, min: 0, max: 10, desc: 'Count.' }),
  flag: boolean({ default: false, desc: 'Flag.' }),
  mode: select({ options: ['ssh', 'tcp'], default: 'ssh', desc: 'Mode.' }),
  note: string({ desc: 'Optional.' }),
};

function parse(env: Record<string, string>) {
  return parseParams(spec, Object.fromEntries(Object.entries(env).map(([k, v]) => [`OCF_RESKEY_${k}`, v])));
}

describe('parameter parsing', () => {
  it('applies defaults and leaves optional parameters undefined', () => {
    expect(parse({ name: 'a' })).toEqual({ name: 'a', count: 5, flag: false, mode: 'ssh' });
  });

  it.each([
    ['yes', true],
    ['TRUE', true],
    ['1', true],
    ['on', true],
    ['no', false],
    ['false', false],
    ['0', false],
  ])('reads boolean %j as %s', (raw, value) => {
    expect(parse({ name: 'a', flag: raw }).flag).toBe(value);
  });

  it.each([
    [{ count: 'x' }, "parameter count: expected an integer, got 'x'"],
    [{ count: '11' }, 'parameter count: must be at most 10, got 11'],
    [{ count: '-1' }, 'parameter count: must be at least 0, got -1'],
    [{ flag: 'maybe' }, "parameter flag: expected true or false, got 'maybe'"],
    [{ mode: 'udp' }, "parameter mode: expected one of ssh, tcp, got 'udp'"],
  ])('rejects %o with code 6: %s', (env, message) => {
    let err: unknown;
    try {
      parse({ name: 'a', ...env });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OcfError);
    expect((err as OcfError).code).toBe(6);
    expect((err as OcfError).reason).toBe(message);
  });

  it('treats an empty value as unset, as the shell agents do', () => {
    expect(() => parse({ name: '' })).toThrow('required parameter name is not set');
    expect(parse({ name: 'a', count: '' }).count).toBe(5);
  });
});
