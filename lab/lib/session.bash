# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# What a script that drives the lab from outside (lab/demo.sh, bench/failover.sh) needs besides
# lab/lab.sh itself: the cluster kit with its crm_mon queries (crm.bash), a clock, and the lab's nodes.
#
#   lab_attach          after `lab.sh up`: join the lab's nodes (its anchor owns them), so in_node,
#                       in_cluster and the crm_* queries reach them
#   now                 wall clock, seconds with decimals
#   since START [END]   seconds from START to END (default: now), one decimal

# shellcheck source=cluster.bash
source "$(dirname "${BASH_SOURCE[0]}")/cluster.bash"

LAB_ROOT=${LAB_ROOT:-/var/lib/seapath-lab}
export NODE_SCRATCH_ROOT=$LAB_ROOT

lab_attach() {
  NODE_OWNER_PID=$(<"$LAB_ROOT/anchor.pid") || return
  export NODE_OWNER_PID
  node_setup lab >/dev/null
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%.1f", b - a }'; }
