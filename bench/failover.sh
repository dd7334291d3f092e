#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# Failover in the three-node lab, side by side in one run: the stock agents (VirtualDomain,
# IPaddr2, ping) and ours, both with fence_outscale. For each: live-migration time, then the time
# from the death of the node running the VM (its Corosync and Pacemaker killed) to the VM and the
# floating IP running on a survivor. Each flavour gets a fresh lab; RUNS repeats (default 1).
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
export LAB_ROOT=${BENCH_LAB_ROOT:-/var/lib/seapath-lab-bench}
LAB=$REPO/lab/lab.sh
RUNS=${RUNS:-1}
# shellcheck source=../lab/lib/session.bash
source "$REPO/lab/lib/session.bash"
all_online() { [[ $(crm_online_count) == 3 ]]; }

measure() { # FLAVOUR
  local flavour=$1 t src dst victim mig fo vipt
  # The stock agents cannot run under SEAPATH's hardening (ocf:pacemaker:ping's fping needs
  # cap_net_raw, docs/hardening.md): their lab runs Pacemaker plain; ours runs hardened.
  if [[ $flavour == stock ]]; then export LAB_HARDENED=0; else unset LAB_HARDENED; fi
  "$LAB" up >/dev/null || { echo "| $flavour | lab up failed | | |"; return 1; }
  lab_attach
  "$LAB" deploy "$flavour" >/dev/null || { echo "| $flavour | deploy failed | | |"; "$LAB" down >/dev/null; return 1; }
  if ! wait_until 120 "vm1" crm_started_anywhere vm1 >/dev/null || ! wait_until 60 "vip" crm_started_anywhere vip >/dev/null; then
    "$LAB" down >/dev/null
    return 1
  fi
  sleep 8 # let the guest boot and the cluster settle
  for _ in $(seq "$RUNS"); do
    src=$(crm_where_is vm1); dst=node1; [[ $src == node1 ]] && dst=node2
    t=$(now)
    in_cluster node1 crm_resource --move --resource vm1 --node "$dst" >/dev/null 2>&1
    wait_until 120 "migration" crm_started_on vm1 "$dst" >/dev/null; mig=$(since "$t")
    wait_until 30 "vip" crm_started_on vip "$dst" >/dev/null
    in_cluster node1 crm_resource --clear --resource vm1 >/dev/null 2>&1
    sleep 3
    victim=$dst
    t=$(now)
    "$LAB" crash "$victim"
    wait_until 180 "failover" crm_started_elsewhere_than vm1 "$victim" >/dev/null; fo=$(since "$t")
    wait_until 60 "vip" crm_started_on vip "$(crm_where_is vm1)" >/dev/null; vipt=$(since "$t")
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
