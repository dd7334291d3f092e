#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# make bench: every side-by-side benchmark in one run; figures, not pass/fail.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
out=${BENCH_REPORT:-/tmp/seapath-bench/report.md}
# The V8 JIT build the shipped (jitless) one replaces, built by make bench: every side-by-side row
# times it too (bench/lib.bash), and bench/hardened.sh compares the two directly.
if [[ -x dist/seapath-agents-jit ]]; then
  export BENCH_JIT=$PWD/dist/jit
  mkdir -p "$BENCH_JIT"
  # shellcheck disable=SC2013 # the lists hold one agent name a line, no blanks
  for a in $(cat packaging/resource-agents.list packaging/fence-agents.list); do ln -sfn ../seapath-agents-jit "$BENCH_JIT/$a"; done
fi
mkdir -p "$(dirname "$out")"
{
  for b in vip ping vm fence-outscale hardened failover; do
    [ -x "bench/$b.sh" ] || continue
    "bench/$b.sh" || echo "(bench/$b.sh failed with $?)"
    echo
  done
} | tee "$out"
echo "report written to $out"
