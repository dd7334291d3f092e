// SPDX-License-Identifier: Apache-2.0
// Files that hold secrets: warnings when others can read them, and validate-all's check of secret_key_script.
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFenceAgent } from '../../../../lib/fence/index.js';
import { fenceOutscale } from '../../../../fence/outscale/index.js';

const dir = mkdtempSync(join(tmpdir(), 'fo-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const validate = (lines: readonly string[]) =>
  runFenceAgent(fenceOutscale, {
    argv: [],
    stdin: ['action=validate-all', 'access_key=AKTEST', ...lines].join('\n'),
    env: { HOME: '/nonexistent' },
  });

function file(name: string, content: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

describe('secret files', () => {
  it.each([
    [0o644, 'is readable by others (mode 0644)'],
    [0o640, 'is readable by its group (mode 0640)'],
  ])('secret_key_file with mode %s gets a warning naming the fix', async (mode, text) => {
    const path = file(`secret-${mode}`, 'SKFILESECRET\n', mode);
    const r = await validate([`secret_key_file=${path}`]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`secret_key_file ${path} ${text}: chmod 600 ${path}`);
    expect(r.stderr).not.toContain('SKFILESECRET');
  });

  it('secret_key_file with mode 0600 gets no warning', async () => {
    const r = await validate([`secret_key_file=${file('secret-600', 'SK\n', 0o600)}`]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('a configuration file holding a secret key and readable by others gets a warning', async () => {
    const path = file('config.json', JSON.stringify({ default: { access_key: 'AK', secret_key: 'SKCONF' } }), 0o644);
    const r = await validate([`config_file=${path}`]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`the Outscale configuration file ${path} is readable by others`);
  });

  it.each([
    ['missing', undefined, 'cannot be found (ENOENT)'],
    ['not executable', 0o600, 'is not executable: chmod 700'],
    ['writable by its group', 0o770, 'is writable by others than its owner: chmod go-w'],
    ['writable by anyone', 0o757, 'is writable by others than its owner: chmod go-w'],
    ["another user's", 'nobody', 'belongs to uid 65534: chown root'],
  ] as const)('validate-all fails when secret_key_script is %s, without running it', async (_what, mode, text) => {
    const path =
      mode === undefined
        ? join(dir, 'no-such-script')
        : file('script.sh', `#!/bin/sh\ntouch ${dir}/ran\necho SK\n`, mode === 'nobody' ? 0o700 : mode);
    if (mode === 'nobody') chownSync(path, 65534, 65534);
    const r = await validate([`secret_key_script=${path}`]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`secret_key_script ${path} ${text}`);
    expect(r.stderr).toContain('validate-all failed');
  });

  it('secret_key_script must be an absolute path: a bare name would run whatever PATH finds', async () => {
    const r = await validate(['secret_key_script=script.sh']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('secret_key_script script.sh must be an absolute path');
  });

  it('validate-all accepts an executable secret_key_script', async () => {
    const r = await validate([`secret_key_script=${file('good.sh', '#!/bin/sh\necho SK\n', 0o700)}`]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });
});
