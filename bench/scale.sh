#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# make bench-scale: the lab with N VMs (lab/scale.bash: each a small guest on its own RBD image,
# allow-migrate, pingd rule, monitored every 10 s), stock agents (VirtualDomain, ping) against
# ours, a fresh lab for each flavour and each N. For each:
#   cold start   the N VMs created at once (probed on every node, then started) until all Started:
#                wall time, the agents' CPU seconds, peak concurrent RSS of the agents' processes
#   steady       the agents' CPU seconds per minute with the N VMs monitored (SCALE_STEADY_S, 60 s)
#   node death   the node holding the most VMs (about N/3) crashes (fenced through fence_outscale,
#                which powers it off; powered on after) until each of them runs on a survivor
#   drain        `crm node standby` of the node holding the most VMs (about N/3: stickiness 0
#                rebalances after the death) until it holds none (live migrations)
# The agents' CPU is what every pacemaker-execd's children (agents, and what they ran) used:
# cutime + cstime of the execds. Their memory is sampled (bench/agent-sampler.sh, every 0.2 s).
#   SCALE_NS="2 5 8"   the values of N (default 8); SCALE_FLAVOURS="stock seapath"
#   SCALE_DATA=FILE    the rows (default $BENCH_OUT/scale.tsv), emptied first unless SCALE_APPEND=1
#                      (several runs, e.g. one N each, then build one table and one plot)
# Prints a markdown table and writes bench/scale-plot.sh's SVG of cost against N next to the data.
set -uo pipefail
# shellcheck source=lab.bash
source "$(dirname "$0")/lab.bash"
NS=${SCALE_NS:-8}
FLAVOURS=${SCALE_FLAVOURS:-stock seapath}
STEADY_S=${SCALE_STEADY_S:-60}
DATA=${SCALE_DATA:-$BENCH_OUT/scale.tsv}
TICK=$(getconf CLK_TCK)
tsv_row() { local IFS=$'\t'; printf '%s\n' "$*"; }
[[ -n ${SCALE_APPEND:-} && -s $DATA ]] || tsv_row '# N' flavour cold_s cold_cpu_s cold_peak_rss_mib steady_cpu_s_per_min \
  death_vms death_s drain_vms drain_s cold_peak_pss_mib >"$DATA"

note() { printf '[scale %s] %s\n' "$(date +%T)" "$*" >&2; }

# CPU seconds the agents used so far: every node's pacemaker-execd, its reaped children's time.
agents_cpu() {
  local n pid stat f ticks=0
  for n in "${LAB_NODES[@]}"; do
    for pid in $(_cluster_pids_named "$n" pacemaker-execd); do
      stat=$(<"/proc/$pid/stat") || continue
      read -ra f <<<"${stat##*) }"
      ticks=$((ticks + f[13] + f[14]))
    done
  done
  awk -v t="$ticks" -v hz="$TICK" 'BEGIN { printf "%.2f", t / hz }'
}
vms_on() { crm_mon_xml | crm_xpath "count(//resource[starts-with(@id,'vm') and @role='Started']/node[@name='$1'])"; }
busiest_node() {
  local n best="" most=-1 c
  for n in "${LAB_NODES[@]}"; do c=$(vms_on "$n"); ((${c:-0} > most)) && { most=${c:-0}; best=$n; }; done
  echo "$best $most"
}
pingd_everywhere() { local n; for n in "${LAB_NODES[@]}"; do [[ $(cluster_attribute node1 pingd "$n") == 1000 ]] || return 1; done; }
balanced() {
  local n
  scale_all_started "$1" && scale_all_online || return 1
  for n in "${LAB_NODES[@]}"; do (($(vms_on "$n") >= $1 / 3)) || return 1; done
}

SAMPLER=
stop_all() {
  [[ -n $SAMPLER ]] && kill "$SAMPLER" 2>/dev/null
  "$LAB" down >/dev/null 2>&1
  exit 2
}
trap 'note "interrupted: lab down"; stop_all' INT TERM

measure() { # FLAVOUR N
  local flavour=$1 count=$2 t c0 cold cold_cpu peak peak_pss steady victim k death drain dk
  local rss=$BENCH_OUT/scale-rss-$flavour-$count.txt
  # The stock agents cannot run hardened (their ping's fping needs cap_net_raw): plain Pacemaker for them.
  if [[ $flavour == stock ]]; then
    export LAB_HARDENED=0; unset CLUSTER_PACEMAKERD_WRAPPER
  else
    unset LAB_HARDENED CLUSTER_PACEMAKERD_WRAPPER # lab/lab.sh sets the hardening wrapper
  fi
  "$LAB" up >/dev/null || { note "lab up failed"; return 1; }
  lab_anchor; node_setup lab >/dev/null; ceph_use "$LAB_ROOT/ceph" >/dev/null
  (scale_prepare "$flavour" "$count") || { note "prepare failed"; "$LAB" down >/dev/null; return 1; }
  in_cluster node1 pcs resource defaults update resource-stickiness=0 >/dev/null 2>&1
  # Pacemaker throttles its actions on the machine's load average, which every lab node shares with
  # whatever else this machine runs: one flavour's starts could run one at a time and the other's
  # together. Out of the way, for both.
  in_cluster node1 crm_attribute --type crm_config --name load-threshold --update 10000% >/dev/null 2>&1 || note "load-threshold"
  wait_until 60 "pingd on every node" pingd_everywhere >/dev/null || { note "ping clone"; "$LAB" down >/dev/null; return 1; }
  sleep 5

  "$REPO/bench/agent-sampler.sh" 0.2 >"$rss" 2>/dev/null &
  SAMPLER=$!
  c0=$(agents_cpu); t=$(now)
  scale_create "$flavour" "$count" || note "create failed"
  wait_until 300 "all $count VMs Started" scale_all_started "$count" >/dev/null || { note "cold start did not finish"; }
  cold=$(since "$t")
  cold_cpu=$(awk -v a="$c0" -v b="$(agents_cpu)" 'BEGIN { printf "%.2f", b - a }')
  kill "$SAMPLER"; wait "$SAMPLER" 2>/dev/null; SAMPLER=
  read -r peak peak_pss <<<"$(awk '$2 > r { r = $2 } $3 > p { p = $3 } END { printf "%.0f %.0f", r / 1024, p / 1024 }' "$rss")"
  note "$flavour N=$count: cold start ${cold}s, ${cold_cpu} CPU s, peak RSS ${peak} MiB, PSS ${peak_pss} MiB"
  note "$flavour N=$count: at the PSS peak, KiB/processes by program: $(awk '$3 > p { p = $3; at = $5 } END { print at }' "$rss")"

  sleep 15
  c0=$(agents_cpu); sleep "$STEADY_S"
  steady=$(awk -v a="$c0" -v b="$(agents_cpu)" -v s="$STEADY_S" 'BEGIN { printf "%.2f", (b - a) * 60 / s }')
  note "$flavour N=$count: steady ${steady} CPU s/min"

  read -r victim k <<<"$(busiest_node)"
  # The simulator powers a rebooted node on again 1.3 s after its power-off, where a server takes
  # minutes: its rejoin aborted the survivors' transition midway, and a VM not started yet was
  # probed and started on it (never "on a survivor"). So fencing powers it off here, and it is
  # powered on once its VMs run elsewhere.
  in_cluster node1 pcs stonith update outscale pcmk_reboot_action=off >/dev/null 2>&1 || note "pcmk_reboot_action=off"
  t=$(now)
  "$LAB" crash "$victim"
  wait_until 300 "the VMs of $victim on survivors" scale_all_started "$count" "$victim" >/dev/null || note "node death: not recovered"
  death=$(since "$t")
  note "$flavour N=$count: death of $victim with $k VMs: ${death}s"
  in_cluster node1 pcs stonith update outscale pcmk_reboot_action=reboot >/dev/null 2>&1
  "$LAB" power-on "$victim"
  wait_until 120 "rejoin and rebalance" balanced "$count" >/dev/null || note "not rebalanced"
  sleep 5

  read -r victim dk <<<"$(busiest_node)"
  t=$(now)
  in_cluster node1 crm node standby "$victim" >/dev/null 2>&1 || in_cluster node1 pcs node standby "$victim" >/dev/null 2>&1
  wait_until 300 "$victim drained" scale_all_started "$count" "$victim" >/dev/null || note "drain did not finish"
  drain=$(since "$t")
  note "$flavour N=$count: drain of $victim with $dk VMs: ${drain}s"
  LAB_SAVE_LOGS=${SCALE_LOGS:+$SCALE_LOGS/$flavour-$count} "$LAB" down >/dev/null
  tsv_row "$count" "$flavour" "$cold" "$cold_cpu" "$peak" "$steady" "$k" "$death" "$dk" "$drain" "$peak_pss" >>"$DATA"
}

echo "### Scale: N VMs in the lab (3 nodes, fence_outscale, TCG guests on RBD)"
echo
bench_machine
echo
for n in $NS; do
  for f in $FLAVOURS; do measure "$f" "$n" || printf '%s\t%s\tfailed\n' "$n" "$f" >>"$DATA"; done
done
echo "| N | agents | cold start s | cold start agents' CPU s | peak agents' RSS MiB | peak agents' PSS MiB |" \
  "steady agents' CPU s/min | node death: VMs, s | drain: VMs, s |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
awk -F'\t' '
  !/^#/ && $3 != "failed" {
    printf "| %s | %s | %s | %s | %s | %s | %s | %s, %s | %s, %s |\n",
      $1, ($2 == "seapath" ? "ours" : $2), $3, $4, $5, ($11 == "" ? "-" : $11), $6, $7, $8, $9, $10
  }' "$DATA"
"$REPO/bench/scale-plot.sh" "$DATA" "${DATA%.tsv}.svg" && echo && echo "Plot: ${DATA%.tsv}.svg"
