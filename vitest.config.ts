// SPDX-License-Identifier: Apache-2.0
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Most unit time is waiting (fence budgets, timeouts, simulated API delays), not CPU: more
  // workers than the 2 cores cut the run from ~110 s to ~30 s.
  // The simulator's schema generation is checked too: its committed output must be what the spec gives.
  test: {
    include: ['test/unit/**/*.test.ts', 'lab/outscale-sim/schemas/codegen/*.test.ts'],
    environment: 'node',
    maxWorkers: 6,
    globalSetup: ['test/unit/temp-root.ts'],
  },
});
