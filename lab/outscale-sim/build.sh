#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Bundles the Outscale API simulator into dist/outscale-sim.cjs (run it with the project's Node 24).
set -euo pipefail
cd "$(dirname "$0")/../.."
node_modules/.bin/esbuild lab/outscale-sim/main.ts --bundle --platform=node --format=cjs --target=node24 \
  --log-level=warning --outfile=dist/outscale-sim.cjs
