// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { parseUtilization } from '../../../../agents/vm/utilization.js';

// What `cibadmin --query --xpath "//primitive[@id='vmc1']/utilization"` prints (Pacemaker 2.1)
describe('parseUtilization', () => {
  it('reads the one utilization block cibadmin prints for one match', () => {
    const xml = `<utilization id="vmc1-utilization">
  <nvpair id="vmc1-utilization-cpu" name="cpu" value="2"/>
  <nvpair id="vmc1-utilization-hv_memory" name="hv_memory" value="96"/>
</utilization>`;
    expect(parseUtilization(xml)).toEqual(
      new Map([
        ['cpu', '2'],
        ['hv_memory', '96'],
      ]),
    );
  });

  it('reads every block inside <xpath-query> when several match (utilization sets with rules)', () => {
    const xml = `<xpath-query>
  <utilization id="u1"><nvpair id="u1-cpu" name="cpu" value="4"/></utilization>
  <utilization id="u2"><nvpair id="u2-host_memory" name="host_memory" value="2048"/></utilization>
</xpath-query>`;
    expect(parseUtilization(xml)).toEqual(
      new Map([
        ['cpu', '4'],
        ['host_memory', '2048'],
      ]),
    );
  });

  it('an empty block is no utilization', () => {
    expect(parseUtilization('<utilization id="vmc1-utilization"/>')).toEqual(new Map());
  });
});
