#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The whole bats suite in two lanes side by side, each one test/run-integration.sh (its own bats
# session, stall and exit watch), so that the suite fits CI's 30 minutes on two cores: most of a
# test's time is spent waiting on the cluster's timers, not on the CPU.
#   main  every file that runs QEMU, Ceph or a lab, or changes what is installed on the host (the
#         agents, the page cache of the executable), one file at a time as before
#   side  the files marked with a line `# integration-lane: side`: they start none of these, find
#         their processes by namespace (never by name alone), and name their namespaces with a
#         prefix of their own (lab/lib/node.bash)
# Each lane's lines carry its name; the last line sums both lanes, and the run fails when either
# lane does. INTEGRATION_DIR: where the .bats files are (default test/integration);
# INTEGRATION_LANES=1 runs every file in the main lane.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
dir=${INTEGRATION_DIR:-test/integration}
main=() side=()
for f in "$dir"/*.bats; do
  # the mark in the file's first lines: a test's heredoc may hold the same line
  if [[ ${INTEGRATION_LANES:-2} != 1 ]] &&
    awk 'NR <= 5 && $0 == "# integration-lane: side" { side = 1 } NR == 5 { exit } END { exit !side }' "$f"; then
    side+=("$f")
  else
    main+=("$f")
  fi
done
out=$(mktemp -d)
pids=()
# Each lane's run-integration.sh ends its bats session on TERM.
# shellcheck disable=SC2317 # run by the traps
stop_lanes() {
  kill -TERM "${pids[@]}" 2>/dev/null
  wait
  rm -rf "$out"
  exit "$1"
}
trap 'stop_lanes 130' INT
trap 'stop_lanes 143' TERM

# run_lane NAME FILE...: the lane runs in the background, its output to $out/NAME, printed as it comes
# with the lane's name in front; sets REPLY to its pid.
run_lane() {
  local name=$1
  shift
  : >"$out/$name"
  test/run-integration.sh "$@" >"$out/$name" 2>&1 &
  REPLY=$!
  pids+=("$REPLY")
  tail -n +1 -F --pid="$REPLY" "$out/$name" 2>/dev/null | sed -u "s/^/[$name] /" &
}

declare -A lane_pid lane_rc
((${#main[@]} == 0)) || { run_lane main "${main[@]}" && lane_pid[main]=$REPLY; }
((${#side[@]} == 0)) || { run_lane side "${side[@]}" && lane_pid[side]=$REPLY; }
rc=0 passed=0 failed=0 skipped=0
for lane in "${!lane_pid[@]}"; do
  wait "${lane_pid[$lane]}"
  lane_rc[$lane]=$?
  ((lane_rc[$lane] == 0)) || rc=1
done
wait # the tails: every line is printed before the sum
for lane in "${!lane_pid[@]}"; do
  count='^integration: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$'
  if ! [[ $(grep -E "$count" "$out/$lane" | tail -n 1) =~ $count ]]; then
    echo "integration: the $lane lane ended (exit ${lane_rc[$lane]}) without its count"
    rc=1
    continue
  fi
  passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2])) skipped=$((skipped + BASH_REMATCH[3]))
done
rm -rf "$out"
echo "integration: $passed passed, $failed failed, $skipped skipped"
exit "$rc"
