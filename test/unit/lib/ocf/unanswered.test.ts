// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const guard = fileURLToPath(new URL('../../../../lib/ocf/unanswered.ts', import.meta.url));

// A pending action whose last timer is an AbortSignal.timeout (unref'd, as the deadline's), under the
// pinned node running the module as it is (type stripping), as src/main.ts runs the agents.
function run(withGuard: boolean): { status: number | null; stderr: string } {
  const script = `
    import { failWhenUnanswered } from ${JSON.stringify(guard)};
    if (${withGuard}) failWhenUnanswered(process, (code) => process.exit(code), (text) => process.stderr.write(text));
    AbortSignal.timeout(60_000).addEventListener('abort', () => process.exit(1));
    new Promise(() => {}).then(() => process.exit(0));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stderr: r.stderr };
}

describe('failWhenUnanswered', () => {
  it('without it, Node ends a process whose action never settles with status 0: a false success', () => {
    expect(run(false).status).toBe(0);
  });

  it('turns an action that never settles into exit 1 with an exit reason, at once', () => {
    const r = run(true);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ocf-exit-reason:internal error: the action ended without an answer');
  });
});
