// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { Deadline, stepDeadline } from '../../../../lib/time/index.js';

describe('stepDeadline', () => {
  const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(50);

  it('bounds one step by its own maximum', () => {
    near(stepDeadline(Deadline.after(10_000), 3000).remainingMs(), 3000);
  });

  it("ends a step 1 s before the operation, so the step's own error is the exit reason", () => {
    near(stepDeadline(Deadline.after(10_000)).remainingMs(), 9000);
    near(stepDeadline(Deadline.after(2_000), 5000).remainingMs(), 1000);
  });

  it('leaves nothing when the operation has under 1 s left', () => {
    expect(stepDeadline(Deadline.after(500), 3000).remainingMs()).toBe(0);
  });
});
