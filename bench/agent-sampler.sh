#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Memory of the resource agents at work: every INTERVAL_S (default 0.2) one `ps` of the machine;
# the processes descending from a pacemaker-execd (the agents and what they run: virsh, rbd,
# fping...) are the agents' processes. Prints one line per sample:
#   EPOCH_S  SUM_RSS_KIB  SUM_PSS_KIB  PROCESSES  PSS_BY_COMMAND
# PSS_BY_COMMAND: what each program took, largest first, e.g. `vm:96000/7,rbd:41000/3` (KiB/processes).
# RSS counts the pages of an executable shared by several processes once per process; PSS
# (smaps_rollup) shares them out, so its sum is the memory the agents really take together.
# usage: agent-sampler.sh [INTERVAL_S] > FILE      (until killed)
set -uo pipefail
interval=${1:-0.2}
while :; do
  ps -e -o pid=,ppid=,rss=,comm= | awk -v t="$(date +%s.%N)" '
    { ppid[$1] = $2; rss[$1] = $3; comm[$1] = $4; if ($4 == "pacemaker-execd") execd[$1] = 1 }
    END {
      for (p in ppid) {
        q = ppid[p]
        for (d = 0; d < 32 && q > 1; d++) {
          if (q in execd) {
            sum += rss[p]; n++
            f = "/proc/" p "/smaps_rollup"
            while ((getline line < f) > 0) if (line ~ /^Pss:/) { split(line, a, " "); pss += a[2]; by[comm[p]] += a[2]; break }
            close(f)
            count[comm[p]]++
            break
          }
          q = ppid[q]
        }
      }
      parts = ""
      for (c in count) parts = parts sprintf("%d %s:%d/%d\n", by[c], c, by[c], count[c])
      printf "%s %d %d %d %s\n", t, sum, pss, n, by_size(parts)
    }
    function by_size(lines,   k, i, j, m, row, tmp, out) {
      m = split(lines, row, "\n") - 1
      for (i = 2; i <= m; i++)
        for (j = i; j > 1 && row[j] + 0 > row[j - 1] + 0; j--) { tmp = row[j]; row[j] = row[j - 1]; row[j - 1] = tmp }
      for (i = 1; i <= m; i++) { split(row[i], k, " "); out = out (i > 1 ? "," : "") k[2] }
      return m > 0 ? out : "-"
    }'
  sleep "$interval"
done
