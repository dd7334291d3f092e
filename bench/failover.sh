#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Failover in the three-node lab, side by side in one run: the stock agents (VirtualDomain,
# IPaddr2, ping) and ours, both with fence_outscale. For each: live-migration time, then the time
# from the death of the node running the VM (its Corosync and Pacemaker killed) to the VM and the
# floating IP running on a survivor. Each flavour gets a fresh lab; RUNS repeats (default 1).
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
export LAB_ROOT=${BENCH_LAB_ROOT:-/var/lib/seapath-lab-bench}
LAB=$REPO/lab/lab.sh
RUNS=${RUNS:-1}
export NODE_SCRATCH_ROOT=$LAB_ROOT
source "$REPO/lab/lib/cluster.bash"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
mon_xml() { local n; for n in node1 node2 node3; do in_cluster "$n" crm_mon -1 --output-as=xml 2>/dev/null && return 0; done; return 1; }
where_is() { mon_xml | xmllint --xpath "string(//resource[@id='$1' and @role='Started' and @failed='false']/node/@name)" - 2>/dev/null; }
started_on() { [[ $(where_is "$1") == "$2" ]]; }
started_elsewhere_than() { local w; w=$(where_is "$1"); [[ -n $w && $w != "$2" ]]; }
started_anywhere() { [[ -n $(where_is "$1") ]]; }
all_online() { local x; x=$(mon_xml) || return 1; [[ $(xmllint --xpath "count(//nodes/node[@online='true'])" - <<<"$x") == 3 ]]; }

measure() { # FLAVOUR
  local flavour=$1 t src dst victim mig fo vipt
  # The stock agents cannot run under SEAPATH's hardening (ocf:pacemaker:ping's fping needs
  # cap_net_raw, docs/hardening.md): their lab runs Pacemaker plain; ours runs hardened.
  if [[ $flavour == stock ]]; then export LAB_HARDENED=0; else unset LAB_HARDENED; fi
  "$LAB" up >/dev/null || { echo "| $flavour | lab up failed | | |"; return 1; }
  NODE_OWNER_PID=$(<"$LAB_ROOT/anchor.pid"); export NODE_OWNER_PID; node_setup lab >/dev/null
  "$LAB" deploy "$flavour" >/dev/null || { echo "| $flavour | deploy failed | | |"; "$LAB" down >/dev/null; return 1; }
  wait_until 120 "vm1" started_anywhere vm1 >/dev/null && wait_until 60 "vip" started_anywhere vip >/dev/null || { "$LAB" down >/dev/null; return 1; }
  sleep 8 # let the guest boot and the cluster settle
  for _ in $(seq "$RUNS"); do
    src=$(where_is vm1); dst=node1; [[ $src == node1 ]] && dst=node2
    t=$(now)
    in_cluster node1 crm_resource --move --resource vm1 --node "$dst" >/dev/null 2>&1
    wait_until 120 "migration" started_on vm1 "$dst" >/dev/null; mig=$(since "$t")
    wait_until 30 "vip" started_on vip "$dst" >/dev/null
    in_cluster node1 crm_resource --clear --resource vm1 >/dev/null 2>&1
    sleep 3
    victim=$dst
    t=$(now)
    "$LAB" crash "$victim"
    wait_until 180 "failover" started_elsewhere_than vm1 "$victim" >/dev/null; fo=$(since "$t")
    wait_until 60 "vip" started_on vip "$(where_is vm1)" >/dev/null; vipt=$(since "$t")
    echo "| $flavour | $mig | $fo | $vipt |"
    wait_until 120 "rejoin" all_online >/dev/null
    sleep 5
  done
  "$LAB" down >/dev/null
}

echo "### Failover in the lab (fence_outscale, 3 nodes, TCG guest on RBD)"
echo
echo "Machine: $(nproc) cores, $(date -u +%Y-%m-%d), load at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Stock agents in a lab whose Pacemaker runs plain (LAB_HARDENED=0); ours under lab/harden."
echo
echo "| agents | live migration s (move → Started) | node death → vm1 Started elsewhere s | node death → vip Started s |"
echo "| --- | ---: | ---: | ---: |"
measure stock
measure seapath
