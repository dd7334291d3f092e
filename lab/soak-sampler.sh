#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The soak's continuous check (lab/soak.sh starts it, kills it at the end): no VM has two QEMUs
# that can both write to its image.
#   usage: soak-sampler.sh OUT_DIR [INTERVAL_S]
# Every INTERVAL_S (default 0.5) it reads /proc machine-wide: every live QEMU, the guest it runs
# (guest=NAME in its command line) and the time its vCPU threads ("CPU n/TCG") spent on a CPU
# (schedstat, ns). A QEMU whose vCPUs ran in the last 1.2 s executes its guest (the lab's guest
# wakes every second); a migration's target waiting for its state, or a source paused after the
# switch-over, does not. Two QEMUs of one guest both executing for 3 s or more can both write its
# image: a violation, appended to OUT_DIR/violations with their pids and nodes. A migration's
# switch-over makes them overlap for at most 1.2 s (the source stops before the target runs).
# OUT_DIR/samples counts the samples taken; OUT_DIR/max-qemus the most QEMUs one guest ever had,
# OUT_DIR/max-executing the most of them executing at once ("GUEST COUNT" lines); OUT_DIR/max-gap-ms
# the longest time between two samples (the sampler is blind in between; lab/soak.sh checks it).
set -uo pipefail
out=${1:?usage: soak-sampler.sh OUT_DIR [INTERVAL_S]}
interval=${2:-0.5}
mkdir -p "$out"
: >"$out/violations"
declare -A prev_ns=() last_ran=() runs=() overlap_since=() flagged=() max=() max_exec=()
samples=0 prev_sample_ms="" max_gap_ms=0
RAN_WITHIN_MS=1200 OVERLAP_MS=3000

vcpu_ns() { # PID: total on-CPU ns of its vCPU threads
  local t sum=0 comm ns
  for t in /proc/"$1"/task/*; do
    comm=$(<"$t/comm") 2>/dev/null || continue
    [[ $comm == CPU* ]] || continue
    read -r ns _ <"$t/schedstat" 2>/dev/null || continue
    sum=$((sum + ns))
  done
  echo "$sum"
}

parent=$PPID
while :; do
  # a soak that died without ending its sampler (killed, or a bug) leaves none behind
  read -r _ _ _ ppid _ <"/proc/$BASHPID/stat"
  [[ $ppid == "$parent" ]] || exit 0
  now=$(($(date +%s%N) / 1000000))
  [[ -n $prev_sample_ms ]] && ((now - prev_sample_ms > max_gap_ms)) && max_gap_ms=$((now - prev_sample_ms))
  prev_sample_ms=$now
  declare -A executing=() count=() seen=()
  for p in $(pgrep -f '^/usr/bin/qemu-system-x86_64 ' || true); do
    st=$(cut -d' ' -f3 "/proc/$p/stat" 2>/dev/null) || continue
    [[ $st == Z || $st == X ]] && continue
    guest=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -o 'guest=[^, ]*' | head -1)
    guest=${guest#guest=}
    [[ -n $guest ]] || continue
    seen[$p]=1
    count[$guest]=$((${count[$guest]:-0} + 1))
    ns=$(vcpu_ns "$p")
    # A paused QEMU's vCPU thread runs once, for under 1 ms, when it is created; a sample can fall in
    # the middle of that run. So a QEMU executes once its vCPUs gained time in two samples (not counting
    # the first time from 0).
    if [[ -n ${prev_ns[$p]:-} ]] && ((prev_ns[$p] > 0 && ns > prev_ns[$p])); then
      last_ran[$p]=$now
      runs[$p]=$((${runs[$p]:-0} + 1))
    fi
    prev_ns[$p]=$ns
    [[ -n ${last_ran[$p]:-} ]] && ((runs[$p] >= 2 && now - last_ran[$p] <= RAN_WITHIN_MS)) && executing[$guest]+="$p "
  done
  for p in "${!prev_ns[@]}"; do [[ -n ${seen[$p]:-} ]] || unset "prev_ns[$p]" "last_ran[$p]" "runs[$p]"; done
  for g in "${!count[@]}"; do
    ((count[$g] > ${max[$g]:-0})) && max[$g]=${count[$g]}
  done
  for g in "${!overlap_since[@]}"; do
    read -ra pids <<<"${executing[$g]:-}"
    ((${#pids[@]} >= 2)) || unset "overlap_since[$g]" "flagged[$g]"
  done
  for g in "${!executing[@]}"; do
    read -ra pids <<<"${executing[$g]}"
    ((${#pids[@]} > ${max_exec[$g]:-0})) && max_exec[$g]=${#pids[@]}
    ((${#pids[@]} >= 2)) || continue
    [[ -n ${overlap_since[$g]:-} ]] || overlap_since[$g]=$now
    if ((now - overlap_since[$g] >= OVERLAP_MS)) && [[ -z ${flagged[$g]:-} ]]; then
      flagged[$g]=1
      # Written in one piece: a reader that sees the file non-empty sees the whole line.
      line="$(date +%T.%3N) two-writers $g executing in ${#pids[@]} QEMUs for $((now - overlap_since[$g])) ms:"
      for p in "${pids[@]}"; do line+=" pid $p on $(nsenter -t "$p" -u hostname 2>/dev/null);"; done
      printf '%s\n' "$line" >>"$out/violations"
    fi
  done
  unset executing count seen
  samples=$((samples + 1))
  echo "$samples" >"$out/samples"
  echo "$max_gap_ms" >"$out/max-gap-ms"
  for g in "${!max[@]}"; do echo "$g ${max[$g]}"; done >"$out/max-qemus"
  for g in "${!max_exec[@]}"; do echo "$g ${max_exec[$g]}"; done >"$out/max-executing"
  sleep "$interval"
done
