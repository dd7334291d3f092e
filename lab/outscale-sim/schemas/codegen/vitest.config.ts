// SPDX-License-Identifier: Apache-2.0
// The code generation's own tests, run by `regenerate-schemas.sh --check` (and by `make test`).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['*.test.ts'], environment: 'node' },
});
