// SPDX-License-Identifier: Apache-2.0
// The bundled simulator driven through sim.bash, signed by curl's own SigV4 code (--aws-sigv4): a third signer,
// independent of both the agent and this project's tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessKey, baseConfig, secretKey } from './sim-harness.js';

const root = resolve(import.meta.dirname, '../../../..');
let dir: string;

beforeAll(() => {
  execFileSync(join(root, 'lab/outscale-sim/build.sh'), { stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'outscale-sim-cli-'));
  // Long timings: the assertions below read `stopping` after a few process starts, on a loaded machine.
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify(baseConfig({ timings: { stopMs: 60_000, forceStopMs: 60_000, startMs: 60_000 } })),
  );
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function bash(script: string): string {
  return execFileSync('bash', ['-c', `set -e; source lab/outscale-sim/sim.bash; trap sim_stop EXIT; ${script}`], {
    cwd: root,
    env: { ...process.env, SIM_LOG_FILE: join(dir, 'requests.jsonl'), AK: accessKey, SK: secretKey, CONFIG: join(dir, 'config.json') },
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('outscale-sim bundle with sim.bash', () => {
  it('starts on an ephemeral port, verifies curl signatures of both variants, and logs to the --log-file', () => {
    const out = bash(`
      sim_start "$CONFIG"
      echo "port=$SIM_PORT"
      curl -sS --aws-sigv4 osc:osc:eu-west-2:api --user "$AK:$SK" -H 'Content-Type: application/json' \
        -d '{"Filters":{"Tags":["Name=node2"],"VmStateNames":["running"]}}' "$SIM_API_URL/ReadVms"
      curl -sS --aws-sigv4 aws:amz:eu-west-2:api --user "$AK:$SK" -H 'Content-Type: application/json' \
        -d '{"VmIds":["i-0000000b"],"ForceStop":true}' "$SIM_API_URL/StopVms"
      curl -sS "$SIM_METADATA_URL/instance-id"; echo
      sim_vms
    `);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^port=\d+$/);
    expect(JSON.parse(lines[1]!)).toMatchObject({ Vms: [{ VmId: 'i-0000000b', State: 'running' }] });
    expect(JSON.parse(lines[2]!)).toMatchObject({ Vms: [{ VmId: 'i-0000000b', CurrentState: 'stopping' }] });
    expect(lines[3]).toBe('i-0000000a');
    expect(JSON.parse(lines[4]!)).toContainEqual(expect.objectContaining({ vmId: 'i-0000000b', state: 'stopping', lastStopForced: true }));
    const logged = readFileSync(join(dir, 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(logged).toEqual([
      expect.objectContaining({ operation: 'ReadVms', algorithm: 'OSC4-HMAC-SHA256', auth: 'ok', status: 200 }),
      expect.objectContaining({
        operation: 'StopVms',
        algorithm: 'AWS4-HMAC-SHA256',
        auth: 'ok',
        status: 200,
        body: { VmIds: ['i-0000000b'], ForceStop: true },
      }),
      expect.objectContaining({ path: '/latest/meta-data/instance-id', status: 200 }),
    ]);
    expect(readFileSync(join(dir, 'requests.jsonl'), 'utf8')).not.toContain(secretKey);
  });

  it('sim_faults changes behaviour at run time and sim_reset restores it', () => {
    const out = bash(`
      sim_start "$CONFIG"
      sim_faults '{"operations":{"ReadVms":{"failures":{"count":1,"status":503}}}}' >/dev/null
      call() {
        curl -sS -o /dev/null -w '%{http_code}\\n' --aws-sigv4 osc:osc:eu-west-2:api --user "$AK:$SK" -d '{}' "$SIM_API_URL/ReadVms"
      }
      call; call
      sim_faults '{"alwaysUnauthorized":true}' >/dev/null
      call
      sim_reset >/dev/null
      call
      sim_log | jq -c 'length'
    `);
    expect(out.trim().split('\n')).toEqual(['503', '200', '401', '200', '1']);
  });

  it('sim_start fails with the reason when the config is invalid', () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ vms: [{ vmId: 'node1' }] }));
    expect(() => bash(`sim_start "${join(dir, 'bad.json')}"`)).toThrow(/not a VM ID/);
  });
});
