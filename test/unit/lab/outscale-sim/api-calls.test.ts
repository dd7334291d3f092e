// SPDX-License-Identifier: Apache-2.0
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkAgainst, checkResponseBody } from '../../../../lab/outscale-sim/schemas/schema-check.js';
import { startHarness, type Harness } from './sim-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const vmIdsOf = (json: unknown): string[] => (json as { Vms: { VmId: string }[] }).Vms.map((v) => v.VmId);
const errorOf = (json: unknown): { Code: string; Type: string } => (json as { Errors: { Code: string; Type: string }[] }).Errors[0]!;

describe('ReadVms', () => {
  it.each([
    ['no filter', {}, ['i-0000000a', 'i-0000000b', 'i-0000000c', 'i-0000000d']],
    ['VmIds', { VmIds: ['i-0000000b', 'i-000000ff'] }, ['i-0000000b']],
    ['Tags KEY=VALUE', { Tags: ['Name=node2'] }, ['i-0000000b', 'i-0000000d']],
    ['Tags with another key', { Tags: ['cluster=node2'] }, []],
    ['TagKeys', { TagKeys: ['cluster'] }, ['i-0000000a', 'i-0000000b', 'i-0000000c']],
    ['TagValues', { TagValues: ['other', 'node1'] }, ['i-0000000a', 'i-0000000c']],
    ['TagKeys and TagValues independently', { TagKeys: ['cluster'], TagValues: ['node2'] }, ['i-0000000b']],
    ['VmStateNames', { VmStateNames: ['stopped', 'terminated'] }, ['i-0000000c', 'i-0000000d']],
    ['Tags and VmStateNames together', { Tags: ['Name=node2'], VmStateNames: ['running'] }, ['i-0000000b']],
  ])('filters by %s', async (_what, Filters, expected) => {
    const answer = await h.call('ReadVms', { Filters });
    expect(answer.status).toBe(200);
    expect(vmIdsOf(answer.json)).toEqual(expected);
  });

  it('answers with the spec ReadVmsResponse shape, tags and state included', async () => {
    const answer = await h.call('ReadVms', { Filters: { VmIds: ['i-0000000a'] } }, { variant: 'AWS4' });
    expect(checkResponseBody('ReadVms', answer.json)).toEqual([]);
    expect(answer.json).toMatchObject({
      Vms: [
        {
          VmId: 'i-0000000a',
          State: 'running',
          PrivateIp: '192.0.2.11',
          Tags: [
            { Key: 'Name', Value: 'node1' },
            { Key: 'cluster', Value: 'lab' },
          ],
        },
      ],
      ResponseContext: { RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
  });

  it('accepts an empty body', async () => {
    const answer = await h.call('ReadVms', undefined, { rawBody: '' });
    expect(answer.status).toBe(200);
    expect(vmIdsOf(answer.json)).toHaveLength(4);
  });

  it('pages with ResultsPerPage and NextPageToken', async () => {
    const first = await h.call('ReadVms', { ResultsPerPage: 3 });
    const token = (first.json as { NextPageToken?: string }).NextPageToken;
    expect(vmIdsOf(first.json)).toHaveLength(3);
    expect(token).toBeTypeOf('string');
    const second = await h.call('ReadVms', { ResultsPerPage: 3, NextPageToken: token });
    expect(vmIdsOf(second.json)).toEqual(['i-0000000d']);
    expect(second.json).not.toHaveProperty('NextPageToken');
  });

  it('answers 4105 for a malformed VM ID', async () => {
    const answer = await h.call('ReadVms', { Filters: { VmIds: ['node2'] } });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.json)).toMatchObject({ Code: '4105', Type: 'InvalidParameterValue' });
  });

  it('refuses a spec filter it does not simulate instead of ignoring it', async () => {
    const answer = await h.call('ReadVms', { Filters: { ImageIds: ['ami-12345678'] } });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.json).Code).toBe('4045');
  });
});

describe('StopVms and StartVms', () => {
  it('StopVms answers running -> stopping and records ForceStop', async () => {
    const answer = await h.call('StopVms', { VmIds: ['i-0000000b'], ForceStop: true });
    expect(answer.status).toBe(200);
    expect(checkResponseBody('StopVms', answer.json)).toEqual([]);
    expect(answer.json).toMatchObject({ Vms: [{ VmId: 'i-0000000b', PreviousState: 'running', CurrentState: 'stopping' }] });
    const vms = (await h.get('/_sim/vms')).json as { vmId: string; lastStopForced: boolean }[];
    expect(vms.find((v) => v.vmId === 'i-0000000b')?.lastStopForced).toBe(true);
  });

  it('StartVms answers stopped -> pending', async () => {
    const answer = await h.call('StartVms', { VmIds: ['i-0000000c'] });
    expect(checkResponseBody('StartVms', answer.json)).toEqual([]);
    expect(answer.json).toMatchObject({ Vms: [{ VmId: 'i-0000000c', PreviousState: 'stopped', CurrentState: 'pending' }] });
  });

  it('StopVms on an unknown VM answers 400 5063 and changes nothing', async () => {
    const answer = await h.call('StopVms', { VmIds: ['i-0000000a', 'i-000000ff'] });
    expect(answer.status).toBe(400);
    expect(checkAgainst('ErrorResponse', answer.json)).toEqual([]);
    expect(errorOf(answer.json)).toMatchObject({ Code: '5063', Type: 'InvalidResource' });
    expect(((await h.get('/_sim/vms')).json as { state: string }[])[0]!.state).toBe('running');
  });

  it.each([
    ['StopVms', 'i-0000000d', 'terminated'],
    ['StartVms', 'i-0000000d', 'terminated'],
  ])('%s on a %s VM answers 400 6003', async (operation, vmId) => {
    const answer = await h.call(operation, { VmIds: [vmId] });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.json)).toMatchObject({ Code: '6003', Type: 'InvalidState' });
  });

  it('StopVms on a stopped VM is a no-op success', async () => {
    const answer = await h.call('StopVms', { VmIds: ['i-0000000c'] });
    expect(answer.json).toMatchObject({ Vms: [{ PreviousState: 'stopped', CurrentState: 'stopped' }] });
  });

  it('DryRun changes nothing', async () => {
    expect((await h.call('StopVms', { VmIds: ['i-0000000a'], DryRun: true })).status).toBe(200);
    expect(((await h.get('/_sim/vms')).json as { state: string }[])[0]!.state).toBe('running');
  });
});

describe('CreateTags', () => {
  it('adds and overwrites tags that ReadVms then filters on', async () => {
    const answer = await h.call('CreateTags', {
      ResourceIds: ['i-0000000a'],
      Tags: [
        { Key: 'Name', Value: 'renamed' },
        { Key: 'role', Value: 'db' },
      ],
    });
    expect(answer.status).toBe(200);
    expect(checkResponseBody('CreateTags', answer.json)).toEqual([]);
    expect(vmIdsOf((await h.call('ReadVms', { Filters: { Tags: ['Name=renamed'] } })).json)).toEqual(['i-0000000a']);
    expect(vmIdsOf((await h.call('ReadVms', { Filters: { TagKeys: ['role'] } })).json)).toEqual(['i-0000000a']);
  });
});

describe('request bodies are checked against the spec schemas', () => {
  it.each([
    ['an unknown field', 'StopVms', { VmIds: ['i-0000000a'], Force: true }, 'Force'],
    ['a wrong type', 'StopVms', { VmIds: ['i-0000000a'], ForceStop: 'true' }, 'ForceStop'],
    ['a missing required field', 'StartVms', {}, 'VmIds'],
    ['an unknown filter name', 'ReadVms', { Filters: { VmId: ['i-0000000a'] } }, 'Filters.VmId'],
    ['a tag filter given as an object', 'ReadVms', { Filters: { Tags: [{ Key: 'Name', Value: 'x' }] } }, 'Filters.Tags[0]'],
  ])('%s answers 400 and is logged as a schema violation', async (_what, operation, body, path) => {
    const answer = await h.call(operation, body);
    expect(answer.status).toBe(400);
    expect(checkAgainst('ErrorResponse', answer.json)).toEqual([]);
    expect(errorOf(answer.json)).toMatchObject({ Code: '4045', Type: 'InvalidParameterValue' });
    const log = (await h.get('/_sim/log')).json as { schemaViolations?: { path: string }[] }[];
    expect(log.at(-1)?.schemaViolations?.map((v) => v.path)).toContain(path);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const answer = await h.call('ReadVms', undefined, { rawBody: '{"Filters":' });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.json).Code).toBe('4047');
  });
});

describe('routing', () => {
  it('answers 404 with the error shape for an operation it does not simulate', async () => {
    const answer = await h.call('RebootVms', { VmIds: ['i-0000000a'] });
    expect(answer.status).toBe(404);
    expect(checkAgainst('ErrorResponse', answer.json)).toEqual([]);
  });

  it('serves the metadata instance-id as plain text', async () => {
    expect(await h.get('/latest/meta-data/instance-id')).toMatchObject({ status: 200, text: 'i-0000000a' });
  });

  it('logs operation, access key, body, status and auth result', async () => {
    await h.call('ReadVms', { Filters: { VmIds: ['i-0000000a'] } });
    const log = (await h.get('/_sim/log')).json as unknown[];
    expect(log).toEqual([
      expect.objectContaining({
        operation: 'ReadVms',
        accessKey: 'AKTEST0000000001',
        algorithm: 'OSC4-HMAC-SHA256',
        auth: 'ok',
        status: 200,
        body: { Filters: { VmIds: ['i-0000000a'] } },
        signedHeaders: ['content-type', 'host', 'x-osc-date'],
      }),
    ]);
    expect(JSON.stringify(log)).not.toContain('SKTEST');
  });
});
