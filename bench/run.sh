#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# make bench: every side-by-side benchmark in one run; figures, not pass/fail.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${BENCH_REPORT:-/tmp/seapath-bench/report.md}
mkdir -p "$(dirname "$out")"
{
  for b in vip ping vm fence-outscale failover; do
    [ -x "bench/$b.sh" ] || continue
    "bench/$b.sh" || echo "(bench/$b.sh failed with $?)"
    echo
  done
} | tee "$out"
echo "report written to $out"
