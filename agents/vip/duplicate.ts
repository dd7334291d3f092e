// SPDX-License-Identifier: Apache-2.0
// Asking the segment whether another host already answers for an IPv4 address.
import { ExecFailed, lastLines, query, which } from '../../lib/exec/index.js';
import type { Deadline } from '../../lib/time/index.js';
import type { FloatingAddress } from './address.js';
import { messageOf } from '../../lib/unknown/index.js';

/** What the segment said: a clear "free" or "taken", or why it could not be asked. */
export type SegmentAnswer =
  | { readonly state: 'free' }
  | { readonly state: 'taken'; readonly by: string }
  | { readonly state: 'unknown'; readonly why: string };

/**
 * An RFC 5227 probe with iputils arping (`-D`: exit 0 when nobody answers, 1 with a "reply from"
 * line when a host does). Other arpings read -D differently (Debian's `arping` package exits 1
 * when nobody answers), so any program that does not say it is iputils, and any answer other
 * than those two, is "unknown": never "taken".
 */
export async function askSegment(address: FloatingAddress, nic: string, deadline: Deadline): Promise<SegmentAnswer> {
  if (which('arping') === undefined) return { state: 'unknown', why: 'arping is not installed (iputils-arping)' };
  const banner = await versionBanner(deadline);
  if (!/\biputils\b/.test(banner))
    return {
      state: 'unknown',
      why: `the arping installed is not iputils arping (${banner.trim().split('\n')[0] || 'arping -V gave no version'})`,
    };
  try {
    const r = await query(['arping', '-D', '-c', '1', '-w', '1', '-I', nic, address.text], {
      deadline: deadline.within(3000),
      okExitCodes: [1],
    });
    if (r.exitCode === 0) return { state: 'free' };
    const reply = /reply from \S+ \[([0-9A-Fa-f:]+)\]/i.exec(r.stdout);
    if (reply?.[1]) return { state: 'taken', by: reply[1] };
    return {
      state: 'unknown',
      why: `arping -D exited 1 without naming a host that answered: ${lastLines(r.stderr || r.stdout, 1)}`,
    };
  } catch (e) {
    return { state: 'unknown', why: messageOf(e) };
  }
}

// What `arping -V` prints, on whichever stream and with whichever exit code; empty when it fails.
async function versionBanner(deadline: Deadline): Promise<string> {
  try {
    const r = await query(['arping', '-V'], { deadline: deadline.within(1000), okExitCodes: [1, 2, 64] });
    return `${r.stdout}${r.stderr}`;
  } catch (e) {
    return e instanceof ExecFailed ? `${e.stdout}${e.stderr}` : '';
  }
}
