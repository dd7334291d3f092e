#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Memory of the resource agents at work: every INTERVAL_S (default 0.2) one `ps` of the machine;
# the processes descending from a pacemaker-execd (the agents and what they run: virsh, rbd,
# fping...) are the agents' processes. Prints one line per sample:
#   EPOCH_S  SUM_RSS_KIB  SUM_PSS_KIB  PROCESSES
# RSS counts the pages of an executable shared by several processes once per process; PSS
# (smaps_rollup) shares them out, so its sum is the memory the agents really take together.
# usage: agent-sampler.sh [INTERVAL_S] > FILE      (until killed)
set -uo pipefail
interval=${1:-0.2}
while :; do
  ps -e -o pid=,ppid=,rss=,comm= | awk -v t="$(date +%s.%N)" '
    { ppid[$1] = $2; rss[$1] = $3; if ($4 == "pacemaker-execd") execd[$1] = 1 }
    END {
      for (p in ppid) {
        q = ppid[p]
        for (d = 0; d < 32 && q > 1; d++) {
          if (q in execd) {
            sum += rss[p]; n++
            f = "/proc/" p "/smaps_rollup"
            while ((getline line < f) > 0) if (line ~ /^Pss:/) { split(line, a, " "); pss += a[2]; break }
            close(f)
            break
          }
          q = ppid[q]
        }
      }
      printf "%s %d %d %d\n", t, sum, pss, n
    }'
  sleep "$interval"
done
