// SPDX-License-Identifier: Apache-2.0

/** The most output (stdout or stderr) `query` keeps of one program: more is a broken or hostile program. */
export const outputLimitBytes = 16 * 1024 * 1024;

/** A program that exited non-zero, was killed, timed out or could not be started. */
export class ExecFailed extends Error {
  override readonly name = 'ExecFailed';
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
    readonly timedOut: boolean,
    readonly notFound = false,
    readonly stdout = '',
    /** execve refused with EPERM: the program's file capabilities exceed the bounding set. */
    readonly notPermitted = false,
    /** Killed for writing more output than the runner keeps (`outputLimitBytes`). */
    readonly outputTooLarge = false,
  ) {
    super(describe(argv, exitCode, stderr, timedOut, notFound, notPermitted, outputTooLarge));
  }
}

function describe(
  argv: readonly string[],
  exitCode: number | undefined,
  stderr: string,
  timedOut: boolean,
  notFound: boolean,
  notPermitted: boolean,
  outputTooLarge: boolean,
): string {
  const program = argv[0] ?? '?';
  if (notFound) return `${program} is not installed or not in PATH`;
  // The kernel refuses to exec a file whose capabilities (e.g. cap_net_raw=ep on Debian's ping,
  // fping and arping) are outside the capability bounding set, as under SEAPATH's hardened
  // pacemaker.service (CapabilityBoundingSet=...).
  if (notPermitted)
    return `${program} cannot be executed here (EPERM): its file capabilities are outside this service's capability bounding set`;
  if (outputTooLarge)
    return `${program} ${argv[1] ?? ''} wrote more than ${outputLimitBytes / 1024 / 1024} MiB of output and was killed`.replace('  ', ' ');
  if (timedOut) return `${program} ${argv[1] ?? ''} did not finish in time and was killed`.replace('  ', ' ');
  const detail = lastLines(stderr, 3);
  return `${program} ${argv[1] ?? ''} exited ${exitCode ?? 'on a signal'}${detail ? `: ${detail}` : ''}`.replace('  ', ' ');
}

/** The last `n` non-empty lines of a program's output, joined on one line for an exit reason. */
export function lastLines(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(-n)
    .join(' / ');
}
