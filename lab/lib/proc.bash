# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Process utilities of the lab kit (node.bash, cluster.bash, ceph.bash, libvirt.bash, the lab and
# the tests). Processes are looked at in /proc: PID 1 here reaps orphans late, so `kill -0`
# reports zombies as alive.
#
#   proc_alive PID               the process exists and is not a zombie
#   proc_ppid PID                prints its parent's pid
#   proc_wait_gone TENTHS PID... wait up to TENTHS x 0.1 s until none of the PIDs is alive;
#                                prints those still alive, rc 1 if any
#   proc_spawn CMD...            run CMD with every fd above 2 closed: a daemon must not keep a
#                                pipe of its caller open (bats waits for EOF on its fds: a daemon
#                                holding one hangs the whole run). For a CMD that forks its daemon
#                                and returns: `proc_spawn CMD &` would leave the shell running the
#                                function (it waits for CMD) with every fd of the caller, bash's
#                                saved copies of redirected ones too. In the background, use
#                                `(exec <in >out 2>&1 && proc_close_fds && exec CMD) &`.
#   proc_freeze NAME PID...      move the PIDs into the cgroup-v1 freezer group NAME and freeze
#                                them: in D state, they survive SIGKILL (as a process stuck on its
#                                storage does) until thawed; rc 2 where there is no v1 freezer
#   proc_thaw NAME               thaw the group NAME (a pending SIGKILL then lands) and remove it
#                                once empty; nothing when it does not exist
#   proc_thaw_groups_of PID...   thaw the freezer groups the PIDs are in (a power cut ends them)
#   proc_descendants PID [SID]   pids of PID's descendants (one a line, parents first); with SID,
#                                only those in that session (not the daemons they started)
#   proc_now_ms                  wall clock in ms
#   now                          wall clock, seconds with decimals
#   since START [END]            seconds from START to END (default: now), one decimal
#   wait_until TIMEOUT_S WHAT CMD...
#       Run CMD (a program or a function) every $WAIT_INTERVAL s (0.2) until it succeeds;
#       TIMEOUT_S may have decimals. After TIMEOUT_S seconds print "timeout after Ns waiting
#       for WHAT" (and CMD's last output) and return 1.

proc_alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != [ZX] ]]
}

proc_ppid() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  stat=${stat#* }
  printf '%s\n' "${stat%% *}"
}

proc_wait_gone() {
  local tenths=$1 i pid left=
  shift
  for ((i = 0; ; i++)); do
    left=
    for pid in "$@"; do proc_alive "$pid" && left+=" $pid"; done
    [[ -z $left ]] && return 0
    ((i < tenths)) || break
    sleep 0.1
  done
  printf '%s\n' "${left# }"
  return 1
}

proc_close_fds() {
  local fd
  for fd in "/proc/$BASHPID/fd/"*; do
    fd=${fd##*/}
    ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
  done
  return 0
}

proc_spawn() { (proc_close_fds && "$@"); }

freezer_root=/sys/fs/cgroup/freezer

proc_freeze() {
  local name=${1:?usage: proc_freeze NAME PID...} pid
  shift
  [[ -w $freezer_root/cgroup.procs ]] || { echo "proc_freeze: no cgroup-v1 freezer at $freezer_root" >&2; return 2; }
  mkdir -p "$freezer_root/$name" || return
  for pid in "$@"; do echo "$pid" >"$freezer_root/$name/cgroup.procs" || return; done
  echo FROZEN >"$freezer_root/$name/freezer.state" || return
  WAIT_INTERVAL=0.1 wait_until 5 "$name to freeze" grep -qx FROZEN "$freezer_root/$name/freezer.state"
}

proc_thaw() {
  local dir=$freezer_root/${1:?usage: proc_thaw NAME}
  [[ -d $dir ]] || return 0
  echo THAWED >"$dir/freezer.state" || return
  WAIT_INTERVAL=0.1 wait_until 5 "$dir to empty and go" _proc_remove_group "$dir"
}
# Removes a thawed group; what still runs in it (nobody killed it) goes back to the root group first.
_proc_remove_group() {
  local pid
  rmdir "$1" 2>/dev/null && return 0
  while read -r pid; do echo "$pid" >"$freezer_root/cgroup.procs" 2>/dev/null; done <"$1/cgroup.procs"
  return 1
}

proc_thaw_groups_of() {
  local pid group
  for pid in "$@"; do
    group=$(sed -n 's/^[0-9]*:freezer:\(.*\)$/\1/p' "/proc/$pid/cgroup" 2>/dev/null)
    [[ -n $group && $group != / ]] || continue
    echo THAWED >"$freezer_root$group/freezer.state" 2>/dev/null || true
  done
  return 0
}

proc_descendants() {
  ps -e -o pid=,ppid=,sid= | awk -v root="${1:?usage: proc_descendants PID [SID]}" -v sid="${2:-}" '
    { parent[$1] = $2; session[$1] = $3; order[NR] = $1 }
    END {
      for (i = 1; i <= NR; i++) {
        p = order[i]; depth = 0
        for (q = p; q in parent && q != root && q > 1 && depth < 64; depth++) q = parent[q]
        if (q == root && p != root && (sid == "" || session[p] + 0 == sid + 0)) print depth, p
      }
    }' | sort -n -s -k1,1 | cut -d' ' -f2
}

proc_now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%.1f", b - a }'; }

wait_until() {
  local usage="usage: wait_until TIMEOUT_S WHAT CMD..."
  local timeout=${1:?$usage} what=${2:?$usage} out="" deadline interval=${WAIT_INTERVAL:-0.2}
  shift 2
  [[ $timeout =~ ^[0-9]+(\.[0-9]+)?$ ]] || { printf 'wait_until: bad timeout %s\n' "'$timeout'" >&2; return 1; }
  deadline=$(( $(proc_now_ms) + $(awk -v t="$timeout" 'BEGIN { printf "%d", t * 1000 }') ))
  while :; do
    if out=$("$@" 2>&1); then return 0; fi
    if (( $(proc_now_ms) >= deadline )); then
      printf 'timeout after %ss waiting for %s\n' "$timeout" "$what" >&2
      [[ -z $out ]] || printf '%s\n' "$out" | tail -n 20 >&2
      return 1
    fi
    sleep "$interval"
  done
}
