// SPDX-License-Identifier: Apache-2.0
import { expect, it } from 'vitest';
import { fencedStates, vmStates, vmStateToPower, vmStateToPowerAwaiting } from '../../../../fence/outscale/states.js';

it.each([
  ['pending', 'on'],
  ['running', 'on'],
  ['stopping', 'on'], // may still write to shared storage: keep polling
  ['shutting-down', 'on'], // may end in a restart
  ['quarantine', 'on'], // undocumented: never declared fenced on a guess
  ['stopped', 'off'],
  ['terminated', 'off'],
] as const)('a VM that is %s is %s', (state, power) => {
  expect(vmStateToPower[state]).toBe(power);
});

it('maps every state of the API, and only stopped and terminated count as fenced', () => {
  expect(Object.keys(vmStateToPower).sort()).toEqual([...vmStates].sort());
  expect(fencedStates).toEqual(['stopped', 'terminated']);
});

it('a VM still pending after StartVms is not on yet, so on waits for running', () => {
  expect(vmStateToPowerAwaiting('pending', 'on')).toBe('off');
  expect(vmStateToPowerAwaiting('running', 'on')).toBe('on');
  expect(vmStateToPowerAwaiting('pending', 'off')).toBe('on');
  expect(vmStateToPowerAwaiting('pending', undefined)).toBe('on');
});
