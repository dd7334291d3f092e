// SPDX-License-Identifier: Apache-2.0
import { expect, it } from 'vitest';
import { plugProblem } from '../../../../fence/outscale/target.js';

it.each(['i-0000000a', 'i-1a2b3c4d', 'node2', 'node-2.example.org', 'web 1'])('plug %j is usable', (plug) => {
  expect(plugProblem(plug)).toBeUndefined();
});

it.each([
  ['i-zz', 'is not a valid VM ID'],
  ['i-123', 'is not a valid VM ID'],
  ['node$2', 'is not a VM ID nor a usable tag value'],
  ['a'.repeat(256), 'is not a VM ID nor a usable tag value'],
])('plug %j is malformed', (plug, message) => {
  expect(plugProblem(plug)).toContain(message);
});
