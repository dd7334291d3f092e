// SPDX-License-Identifier: Apache-2.0
import { basename } from 'node:path';
import { killLiveChildren } from '../lib/exec/index.js';
import { ownAgeMs } from '../lib/proc/index.js';
import { failWhenUnanswered, runAction } from '../lib/ocf/index.js';
import { messageOf } from '../lib/unknown/index.js';
import { fenceAgents, resourceAgents } from './agents.js';
import { warmUp } from './snapshot-warm-up.js';

const multiCallName = 'seapath-agents';

// In the single executable, argv0 keeps the symlink's name (…/resource.d/seapath/vip);
// under plain node it is 'node' and the agent name comes from the first argument.
function invokedName(): { name: string; args: string[] } {
  const sea = process.getBuiltinModule?.('node:sea') as typeof import('node:sea') | undefined;
  const self = basename(sea?.isSea() ? process.argv0 : (process.argv[1] ?? ''));
  const args = process.argv.slice(2);
  if (self === multiCallName || self.endsWith('.cjs') || self.endsWith('.js') || self.endsWith('.ts')) {
    const [name = '', ...rest] = args;
    return { name, args: rest };
  }
  return { name: self, args };
}

async function main(): Promise<number> {
  const { name, args } = invokedName();
  const loadResource = resourceAgents[name];
  if (loadResource) {
    const agent = await loadResource();
    const io = { out: (t: string) => process.stdout.write(t), err: (t: string) => process.stderr.write(t) };
    const result = await runAction(agent, args[0] ?? '', process.env, io, ownAgeMs());
    return result.exitCode;
  }
  const loadFence = fenceAgents[name];
  if (loadFence) return (await loadFence())(args);
  const known = [...Object.keys(resourceAgents), ...Object.keys(fenceAgents)].join(', ');
  process.stderr.write(`${multiCallName}: unknown agent '${name}'; invoke through a link named one of: ${known}\n`);
  return 2;
}

// The only exit of the program. Exiting explicitly ends work a handler left behind after its
// deadline (stdout and stderr are synchronous for pipes and files on Linux, so nothing is lost),
// and so do the children it still waited for.
function exit(code: number): never {
  killLiveChildren();
  process.exit(code);
}

function start(): void {
  // A reader that went away (a pipe to `head`, a closed ssh session) must not turn the action's
  // answer into a crash while it runs: what cannot be written is dropped.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  failWhenUnanswered(process, exit, (text) => process.stderr.write(text));
  main().then(exit, (e: unknown) => {
    process.stderr.write(`ocf-exit-reason:internal error: ${messageOf(e)}\n`);
    exit(1);
  });
}

// The shipped executable runs V8 --jitless (MemoryDenyWriteExecute on SEAPATH hosts), where V8
// rejects Node's code cache for its own modules: child_process and the ~30 modules it pulls in
// would be compiled at every start (bench/README.md has the cost). The build therefore takes
// a startup snapshot (packaging/build-sea.sh) with them and the resource agents already loaded.
// node:sea, which invokedName() asks, is loaded too: it is not in Node's own snapshot, and compiling
// it at every start cost 0.3 ms. Not the fence agent: node:http cannot be snapshotted.
// The snapshot also keeps what the build compiled: warmUp() runs each agent's meta-data and a vip
// monitor so that they, and the kit's path of every action, start compiled.
const { startupSnapshot } = process.getBuiltinModule('node:v8');
if (startupSnapshot.isBuildingSnapshot()) {
  process.getBuiltinModule('node:child_process');
  process.getBuiltinModule('node:sea');
  void warmUp(resourceAgents);
  startupSnapshot.setDeserializeMainFunction(start);
} else {
  start();
}
