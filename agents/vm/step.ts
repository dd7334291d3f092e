// SPDX-License-Identifier: Apache-2.0
import type { Deadline } from '../../lib/ocf/deadline.js';

// Time left after a step times out: to kill its child (execa escalates to SIGKILL after 500 ms)
// and report why, before the kit's own deadline answers with a generic reason.
const reasonMarginMs = 1000;

/** The deadline of one bounded step: at most `maxMs`, and over early enough that its own error is the exit reason. */
export function stepDeadline(deadline: Deadline, maxMs = Number.POSITIVE_INFINITY): Deadline {
  return deadline.leaving(reasonMarginMs).within(maxMs);
}
