#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# shellcheck disable=SC2317 # the faults run through "fault_$kind", which shellcheck 0.9 takes for unreachable code
# shellcheck source-path=SCRIPTDIR
# make soak: rounds of random faults on the three-node lab with SOAK_VMS VMs, checked by invariants.
#   SOAK_SEED    the seed (default: from the clock); the same seed replays the same faults and targets
#   SOAK_ROUNDS  rounds (default: every fault kind once, in a seeded order; fits in 10 minutes)
#   SOAK_VMS     VMs, each a guest on its own RBD image, allow-migrate, pingd rule (default 3)
#   SOAK_BOUND   seconds a round may take to recover (default 120; 180 with SOAK_STONITH=off)
#   SOAK_QUIET   seconds the cluster must stay whole to count as recovered (default 12: longer than
#                the VMs' 10 s monitor interval, so a failure the fault causes later is seen)
#   SOAK_AGENTS  seapath (default) or stock
#   SOAK_STONITH on (default: fence_outscale fences) or off (SEAPATH's default: stonith-enabled=false,
#                no-quorum-policy=stop; nobody fences, the image guard alone keeps a VM from running
#                twice, and the soak itself brings a faulted node back)
#   SOAK_TIMEOUT_S  seconds after which the soak counts as hung (default: 600 + rounds x (2 x bound
#                + quiet + 90), more than the slowest run that does not hang): it prints what it was
#                running, ends it and exits 2
#   SOAK_KEEP_LAB=1 keeps the lab; SOAK_REUSE_LAB=1 runs on a lab a soak kept, as it is (with the
#                same SOAK_VMS and SOAK_AGENTS); SOAK_LOGS=DIR keeps the lab's logs there
# Fault kinds (each cycle of 8 rounds is a seeded permutation of all of them):
#   crash      Corosync and Pacemaker of a node holding a VM killed (it must be fenced)
#   power-off  every process of such a node killed, its NIC dark (it must be fenced)
#   cut        the NIC of such a node down: off the cluster network (it must be fenced)
#   libvirtd   libvirtd of such a node killed, started again 3 s later (as systemd would)
#   osd        Ceph's OSD stopped (SIGSTOP) for 5 s
#   migration  a live migration whose target QEMU is killed halfway
#   cloud-503  the cloud API answers 503 to everything for 20 s; half the time a node crashes meanwhile
#   move       a VM moved to another node (crm_resource --move), then the move cleared
# With SOAK_STONITH=off (7 kinds, no cloud-503: nothing calls the cloud), a node fault is undone by
# the soak once the cluster has reacted to it, as an admin would:
#   crash      the survivors' starts of the node's VMs must be refused (its QEMUs run on); then the
#              node's cluster stack is started again and finds its VMs running there
#   power-off  the node's VMs must start on the survivors; then the node is powered on
#   cut        a partition: the node's links to the other nodes blackholed, Ceph still reachable; it
#              loses quorum and stops its VMs, which must then start on the majority; then healed
# Invariants, checked continuously (lab/soak-sampler.sh) or after each fault:
#   two-writers  no VM has two QEMUs executing at once (machine-wide /proc, vCPU run time); the
#                sampler ran to the end, never blind for more than SAMPLER_MAX_GAP_MS
#   stale-writer after recovery, no RBD watcher of a VM's image from another node that is alive
#                and not blocklisted
#   not-running  every VM Started once, every node online, within SOAK_BOUND after the fault
#   fenced       no node fenced unless the fault took it off the cluster (the fence agent's StopVms
#                in the simulator's log against the fault's victim); the scheduler's reason is shown.
#                With SOAK_STONITH=off, any fencing at all
# At the end, after crm_resource --cleanup: no failed action, every node online.
# Prints a table per fault kind and the seed; exit 0 only with 0 violations.
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export LAB_ROOT=${SOAK_LAB_ROOT:-/var/lib/seapath-lab-soak}
LAB=$REPO/lab/lab.sh
# The stock agents cannot run hardened (their ping's fping needs cap_net_raw): plain Pacemaker for them.
[[ ${SOAK_AGENTS:-seapath} != stock ]] || export LAB_HARDENED=0
# shellcheck source=lab.sh
source "$LAB"
# shellcheck source=scale.bash
source "$REPO/lab/scale.bash"

SEED=${SOAK_SEED:-$(($(date +%s%N) / 1000 % 32768))}
VMS=${SOAK_VMS:-3}
QUIET=${SOAK_QUIET:-12}
FLAVOUR=${SOAK_AGENTS:-seapath}
STONITH=${SOAK_STONITH:-on}
[[ $STONITH == on || $STONITH == off ]] || { echo "soak: SOAK_STONITH is on or off, not '$STONITH'" >&2; exit 2; }
# Two QEMUs executing together count once seen for 3 s; a sampler blind for G ms can miss up to G + 3 s.
SAMPLER_MAX_GAP_MS=3000
KINDS=(crash power-off cut libvirtd osd migration cloud-503 move)
[[ $STONITH == on ]] || KINDS=(crash power-off cut libvirtd osd migration move)
ROUNDS=${SOAK_ROUNDS:-${#KINDS[@]}}
# With STONITH off a crash takes two refused starts (the guard waits 45 s for the holder each time)
# and the node's return.
BOUND=${SOAK_BOUND:-120}
[[ -n ${SOAK_BOUND:-} || $STONITH == on ]] || BOUND=180
W=$(mktemp -d /tmp/seapath-soak.XXXXXX)
RANDOM=$SEED

log() { printf '[soak %s] %s\n' "$(date +%T)" "$*"; }
violation() { # KIND TEXT
  printf '%s %s\n' "$1" "$2" >>"$W/violations"
  log "VIOLATION $1: $2"
}
# Draws in this shell only: bash reseeds RANDOM in every subshell, which would break a replay.
pick() { local i=$((RANDOM % $#)); shift "$i"; REPLY=$1; }

SAMPLER=
LAB_STARTED=
WATCHDOG=
finish() {
  local rc=$1
  # a signal now (the watchdog's, if it fired meanwhile) must not cut the lab's teardown short
  trap 'log "stopping already"' INT TERM
  [[ -e $W/osd-paused ]] && ceph_resume "$LAB_ROOT/ceph" osd
  [[ -s $W/partitioned ]] && lab_partition "$(cat "$W/partitioned")" del
  [[ -n $SAMPLER ]] && kill "$SAMPLER" 2>/dev/null && wait "$SAMPLER" 2>/dev/null
  SAMPLER=
  # (once it fired, it goes on: what ignored its SIGTERM gets a SIGKILL)
  [[ -n $WATCHDOG && ! -e $W/hung ]] && kill "$WATCHDOG" 2>/dev/null
  WATCHDOG=
  if [[ -n $LAB_STARTED && -z ${SOAK_KEEP_LAB:-} ]]; then
    LAB_SAVE_LOGS=${SOAK_LOGS:-} timeout --kill-after=10 300 "$LAB" down >/dev/null 2>&1 || log "lab down failed"
  fi
  exit "$rc"
}
trap 'if [[ -e $W/hung ]]; then log "stopped: the soak hung (above: in what)"; else log "interrupted"; fi; finish 2' INT TERM

# A command of the soak that never returns (a cluster tool waiting on a daemon that will not answer)
# must not hang the soak, nor CI that runs it: past SOAK_TIMEOUT_S the watchdog shows what the soak
# was running, ends it (not the lab's daemons: they run in sessions of their own) and stops the soak.
TIMEOUT=${SOAK_TIMEOUT_S:-$((600 + ROUNDS * (2 * BOUND + QUIET + 90)))}
soak_watchdog() {
  local end pids self=$BASHPID
  end=$(($(date +%s) + TIMEOUT))
  # short sleeps, their output nowhere: killed with its subshell, none holds the soak's output open
  while (($(date +%s) < end)); do sleep 1 >/dev/null 2>&1; done
  touch "$W/hung"
  # (not itself: in the list, it would end with its first kill)
  pids=$(proc_descendants "$$" "$(ps -o sid= -p "$$")" | grep -vx "$self")
  log "the soak has run for ${TIMEOUT}s (SOAK_TIMEOUT_S): it hangs; what it runs:"
  # shellcheck disable=SC2086 # one pid a word
  [[ -z $pids ]] || ps --forest -o pid=,etime=,args= -p "$(echo $pids | tr ' ' ,)" | sed 's/^/    /'
  # The soak's trap first: bash runs it as soon as the command it waits for ends, before what follows.
  kill -TERM "$$"
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null
  sleep 2
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null
}
soak_watchdog </dev/null 3>&- &
WATCHDOG=$!

# --- the lab ---------------------------------------------------------------------------------------
REPLAY="SOAK_SEED=$SEED SOAK_ROUNDS=$ROUNDS SOAK_VMS=$VMS${SOAK_STONITH:+ SOAK_STONITH=$STONITH}"
log "seed $SEED, $ROUNDS rounds, $VMS VMs, agents: $FLAVOUR, STONITH $STONITH (replay: $REPLAY)"
LAB_STARTED=1
if [[ -n ${SOAK_REUSE_LAB:-} ]] && lab_is_up; then
  log "reusing the lab at $LAB_ROOT"
  ceph_use "$LAB_ROOT/ceph" >/dev/null
else
  "$LAB" up >"$W/lab-up.log" 2>&1 || { cat "$W/lab-up.log"; log "lab up failed"; finish 2; }
  lab_anchor
  node_setup lab >/dev/null
  ceph_use "$LAB_ROOT/ceph" >/dev/null
  (scale_prepare "$FLAVOUR" "$VMS") || { log "deploy failed"; finish 2; }
  scale_create "$FLAVOUR" "$VMS" || { log "the VMs could not be created"; finish 2; }
fi
# The lab fences (its default, no-quorum-policy=ignore) or runs as SEAPATH deploys it by default
# (configure_ha_disable_stonith); set on a reused lab too, which a soak of the other kind may have kept.
props=(stonith-enabled=true no-quorum-policy=ignore)
[[ $STONITH == on ]] || props=(stonith-enabled=false no-quorum-policy=stop)
for prop in "${props[@]}"; do
  in_cluster node1 crm_attribute --type crm_config --name "${prop%%=*}" --update "${prop#*=}" >/dev/null ||
    { log "cluster property $prop could not be set"; finish 2; }
done
wait_until 180 "every VM Started" scale_all_started "$VMS" || { log "the VMs did not start"; finish 2; }
log "lab up, $VMS VMs Started"
"$REPO/lab/soak-sampler.sh" "$W/sampler" </dev/null >/dev/null 2>&1 3>&- &
SAMPLER=$!

# --- helpers ---------------------------------------------------------------------------------------
# crm_resource waits up to 60 s for the controller's answers; bounded whatever it meets.
crm_resource_on_node1() { in_cluster node1 timeout --kill-after=5 90 crm_resource "$@"; }
node_of_vm_id() { local n; for n in "${LAB_NODES[@]}"; do [[ $(vm_id_of "$n") != "$1" ]] || echo "$n"; done; }
other_node() { local n; for n in "${LAB_NODES[@]}"; do [[ $n != "$1" ]] && echo "$n"; done; }
pm_log() { echo "$(node_dir "$1")/fs/var/log/pacemaker/pacemaker.log"; }
recovered() { scale_all_started "$VMS" && scale_all_online; }
# Before a fault: recovered, and the last round's victim fenced if that round saw no fencing of it
# (for some seconds after a crash, crm_mon still shows the node online and its VMs Started).
whole() { recovered && { [[ -z $UNFENCED ]] || fenced_since_mark | grep -qx "$UNFENCED"; }; }
# What a not-running violation leaves to read: the nodes and VMs as crm_mon sees them, and what the
# power hooks (the simulator's StopVms/StartVms) said last.
log_cluster_picture() {
  crm_picture | sed 's/^/    /'
  [[ -s $LAB_ROOT/hooks.log ]] && tail -n 3 "$LAB_ROOT/hooks.log" | sed 's/^/    hooks.log: /'
  return 0
}
# Waits (until T0 + SOAK_BOUND) for VICTIM, if any, to be fenced, then for the cluster to stay whole
# SOAK_QUIET seconds on end; prints the seconds from T0 to the start of that stretch.
await_recovery() { # T0 [VICTIM]
  local t0=$1 victim=${2:-} deadline ok_since="" t
  deadline=$(awk -v a="$t0" -v b="$BOUND" 'BEGIN { printf "%d", a + b }')
  if [[ -n $victim ]]; then
    until [[ " $(fenced_since_mark | tr '\n' ' ') " == *" $victim "* ]]; do
      (($(date +%s) < deadline)) || { log "$victim was not fenced within ${BOUND}s" >&2; return 1; }
      sleep 0.5
    done
  fi
  while (($(date +%s) < deadline + QUIET)); do
    if recovered; then
      t=$(now)
      ok_since=${ok_since:-$t}
      if awk -v a="$ok_since" -v b="$t" -v q="$QUIET" 'BEGIN { exit !(b - a >= q) }'; then
        awk -v a="$t0" -v b="$ok_since" 'BEGIN { printf "%.1f", b - a }'
        return 0
      fi
    else
      ok_since=
    fi
    sleep 0.5
  done
  return 1
}
qemu_of() { # NODE VM: pid of VM's live QEMU in NODE
  local p
  for p in $(node_pids "$1" 2>/dev/null); do
    [[ $(cat "/proc/$p/comm" 2>/dev/null) == qemu-system-x86 ]] || continue
    tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q "guest=$2," && proc_alive "$p" && echo "$p"
  done
  return 0
}

# Marks where the logs stand at a round's start, to read only what the round added.
declare -A LOG_AT=()
mark_logs() {
  local n
  SIM_AT=$(wc -l <"$LAB_ROOT/sim-requests.jsonl" 2>/dev/null || echo 0)
  for n in "${LAB_NODES[@]}"; do LOG_AT[$n]=$(wc -l <"$(pm_log "$n")" 2>/dev/null || echo 0); done
}
# Nodes the fence agent stopped since mark_logs (StopVms answered 200 by the simulator).
fenced_since_mark() {
  tail -n +"$((SIM_AT + 1))" "$LAB_ROOT/sim-requests.jsonl" 2>/dev/null |
    jq -c 'select(.operation == "StopVms" and .status == 200)' | grep -o 'i-[0-9a-f]\{8\}' | sort -u |
    while read -r id; do node_of_vm_id "$id"; done | sort -u
  return 0
}
fence_reasons() { # NODE: why the scheduler fenced it, from every node's log since mark_logs
  local n
  for n in "${LAB_NODES[@]}"; do
    tail -n +"$((LOG_AT[$n] + 1))" "$(pm_log "$n")" 2>/dev/null | grep -o "Cluster node $1 will be fenced: .*"
  done | sort -u | head -3 | tr '\n' ';'
}

# Each image's watchers after recovery: one not blocklisted from another node than the VM's,
# where a QEMU of that VM still lives, is a second writer.
check_watchers() {
  local vm on w addr n bl
  bl=$(ceph_ceph osd blocklist ls 2>/dev/null)
  for vm in $(scale_vms "$VMS"); do
    on=$(crm_where_is "$vm")
    for w in $(ceph_rbd status "rbd/system_$vm" 2>/dev/null | grep -o 'watcher=[^ ]*'); do
      addr=${w#watcher=}
      grep -qF "$addr" <<<"$bl" && continue
      for n in "${LAB_NODES[@]}"; do
        [[ ${addr%%:*} == "${LAB_ADDR[$n]}" && $n != "$on" ]] || continue
        [[ -n $(qemu_of "$n" "$vm") ]] &&
          violation stale-writer "$vm runs on $on but $n's live QEMU still watches its image ($addr, not blocklisted)"
      done
    done
  done
}

# --- the faults: each prints the node that must be fenced (if any) on fd 3 ---------------------------
# A node holding a VM (the node of a VM drawn at random), in REPLY.
# shellcheck disable=SC2046 # pick draws among words: VM and node names
victim_node() { pick $(scale_vms "$VMS"); REPLY=$(crm_where_is "$REPLY"); }
vm_on() { [[ $(crm_where_is "$1") == "$2" ]]; }

fault_crash() { local n; victim_node; n=$REPLY; log "crash $n"; "$LAB" crash "$n"; echo "$n" >&3; }
fault_power-off() { local n; victim_node; n=$REPLY; log "power off $n"; "$LAB" power-off "$n"; echo "$n" >&3; }
fault_cut() {
  local n; victim_node; n=$REPLY; log "cut $n from the cluster network (eth0 down)"
  in_node "$n" ip link set eth0 down; echo "$n" >&3
}
fault_libvirtd() {
  local n; victim_node; n=$REPLY; log "kill libvirtd on $n, start it again 3 s later"
  libvirt_kill "$n" >/dev/null 2>&1
  sleep 3
  LIBVIRT_EXEC="in_node $n" libvirt_start "$n" "${LAB_ADDR[$n]}" >/dev/null 2>&1 ||
    violation not-running "libvirtd on $n did not start again"
}
fault_osd() {
  log "stop Ceph's OSD for 5 s"
  touch "$W/osd-paused" # resumed by finish if the soak ends meanwhile
  ceph_pause "$LAB_ROOT/ceph" osd; sleep 5; ceph_resume "$LAB_ROOT/ceph" osd
  rm -f "$W/osd-paused"
}
fault_migration() {
  local vm src dst p i
  # shellcheck disable=SC2046 # pick draws among words: VM and node names
  pick $(scale_vms "$VMS"); vm=$REPLY; src=$(crm_where_is "$vm")
  # shellcheck disable=SC2046
  pick $(other_node "$src"); dst=$REPLY
  log "migrate $vm $src -> $dst, kill the target QEMU halfway"
  crm_resource_on_node1 --move --resource "$vm" --node "$dst" >/dev/null 2>&1
  for ((i = 0; i < 400; i++)); do p=$(qemu_of "$dst" "$vm"); [[ -n $p ]] && break; sleep 0.05; done
  if [[ -n $p ]]; then
    sleep 0.3
    kill -9 "$p" 2>/dev/null && log "killed $vm's QEMU $p on $dst"
  else
    log "no target QEMU seen on $dst"
  fi
  echo "$vm" >"$W/clear"
}
fault_cloud-503() {
  local n=
  log "the cloud API answers 503 to everything for 20 s"
  sim_faults '{"operations":{"*":{"failures":{"count":1000000,"status":503}}}}' >/dev/null
  if ((RANDOM % 2)); then
    victim_node; n=$REPLY; sleep 2; log "and $n crashes meanwhile"; "$LAB" crash "$n"; echo "$n" >&3
    sleep 18
  else
    sleep 20
  fi
  sim_faults '{}' >/dev/null
}
fault_move() {
  local vm src dst
  # shellcheck disable=SC2046 # pick draws among words: VM and node names
  pick $(scale_vms "$VMS"); vm=$REPLY; src=$(crm_where_is "$vm")
  # shellcheck disable=SC2046
  pick $(other_node "$src"); dst=$REPLY
  log "move $vm $src -> $dst"
  crm_resource_on_node1 --move --resource "$vm" --node "$dst" >/dev/null 2>&1
  wait_until "$BOUND" "$vm on $dst" vm_on "$vm" "$dst" >/dev/null 2>&1 ||
    violation not-running "$vm did not reach $dst"
  echo "$vm" >"$W/clear"
}

# --- the node faults with STONITH off: nobody fences; the soak undoes the fault once the cluster reacted
# The cluster as the nodes other than NODE see it (a node cut off has a view of its own).
from_survivors_of() { CRM_NODES="$(other_node "$1" | tr '\n' ' ')" "${@:2}"; }
# NODE offline, every VM Started once and none on NODE, as the others see it.
vms_moved_off() { from_survivors_of "$1" crm_node_offline "$1" && from_survivors_of "$1" scale_all_started "$VMS" "$1"; }
# The newest failed start of VM, as the others see it: its exit reason (Pacemaker keeps 128 characters).
start_refusal() { # NODE VM
  from_survivors_of "$1" crm_mon_xml | crm_xpath "string((//failure[@op_key='${2}_start_0'])[last()]/@exitreason)"
}
starts_refused() { # NODE VM...
  local n=$1 vm
  for vm in "${@:2}"; do [[ -n $(start_refusal "$n" "$vm") ]] || return 1; done
}
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

fault_crash_unfenced() {
  local n vm held=() reason t
  victim_node; n=$REPLY
  for vm in $(scale_vms "$VMS"); do [[ $(crm_where_is "$vm") != "$n" ]] || held+=("$vm"); done
  log "crash $n; ${held[*]} run on there, nobody fences it"
  t=$(now)
  "$LAB" crash "$n"
  # The survivors try to start those VMs: the guard must refuse each (their QEMUs still hold the images).
  if WAIT_INTERVAL=1 wait_until "$BOUND" "starts of ${held[*]} refused" starts_refused "$n" "${held[@]}" >/dev/null 2>&1; then
    for vm in "${held[@]}"; do
      reason=$(start_refusal "$n" "$vm")
      log "$vm's start refused ($(seconds_since "$t") s after the crash): $reason"
      [[ $reason == "refusing to start $vm: held by $n ("* ]] ||
        violation guard "$vm, running on crashed $n: a start on a survivor failed, but not as held by $n: $reason"
    done
  else
    violation guard "$n crashed: the survivors' starts of ${held[*]} were not all refused within ${BOUND}s"
  fi
  log "start the cluster stack on $n again"
  cluster_restart "$n" >/dev/null 2>&1 || violation not-running "the cluster stack on $n did not start again"
}
fault_power-off_unfenced() {
  local n t
  victim_node; n=$REPLY
  log "power off $n; nobody fences it"
  t=$(now)
  "$LAB" power-off "$n"
  if WAIT_INTERVAL=1 wait_until "$BOUND" "$n's VMs to start on the others" vms_moved_off "$n" >/dev/null 2>&1; then
    log "$n's VMs run on the others $(seconds_since "$t") s after the power-off"
  else
    violation not-running "$n powered off: its VMs did not start on the others within ${BOUND}s"
  fi
  log "power $n on"
  "$LAB" power-on "$n"
}
fault_cut_unfenced() {
  local n t
  victim_node; n=$REPLY
  log "partition: $n's links to the other nodes cut, Ceph still reachable; nobody fences it"
  echo "$n" >"$W/partitioned" # healed by finish if the soak ends meanwhile
  t=$(now)
  lab_partition "$n" add
  if WAIT_INTERVAL=1 wait_until "$BOUND" "$n's VMs to start on the majority" vms_moved_off "$n" >/dev/null 2>&1; then
    log "$n's VMs run on the majority $(seconds_since "$t") s after the cut"
  else
    violation not-running "$n cut off: its VMs did not start on the majority within ${BOUND}s"
  fi
  log "heal the partition"
  lab_partition "$n" del
  rm -f "$W/partitioned"
}

# --- the rounds --------------------------------------------------------------------------------------
declare -A N_FAULTS=() N_RECOVERED=() TIMES=()
order=()
ran=0
UNFENCED=
for ((r = 1; r <= ROUNDS; r++)); do
  if ((${#order[@]} == 0)); then # a new seeded permutation of every kind
    order=("${KINDS[@]}")
    for ((i = ${#order[@]} - 1; i > 0; i--)); do j=$((RANDOM % (i + 1))); t=${order[i]}; order[i]=${order[j]}; order[j]=$t; done
  fi
  kind=${order[0]}; order=("${order[@]:1}")
  if ! wait_until "$BOUND" "the cluster to be whole before round $r" whole >/dev/null 2>&1; then
    # Every later round would wait out the bound too, and fault a cluster that is already broken.
    violation not-running "round $r: the cluster was not whole before the fault; no further rounds"
    log_cluster_picture
    break
  fi
  mark_logs
  rm -f "$W/clear"
  log "round $r/$ROUNDS: $kind"
  t0=$(now)
  fault=fault_$kind
  [[ $STONITH == on ]] || ! declare -F "${fault}_unfenced" >/dev/null || fault+=_unfenced
  "$fault" 3>"$W/victim"
  ran=$r
  victim=$(cat "$W/victim")
  N_FAULTS[$kind]=$((${N_FAULTS[$kind]:-0} + 1))
  if took=$(await_recovery "$t0" "$victim"); then
    N_RECOVERED[$kind]=$((${N_RECOVERED[$kind]:-0} + 1))
    TIMES[$kind]+="$took "
    log "recovered in ${took}s"
  else
    violation not-running "round $r ($kind${victim:+ of $victim}): not every VM Started and node online after ${BOUND}s"
    log_cluster_picture
    [[ $kind == cut ]] && in_node "$victim" ip link set eth0 up 2>/dev/null
  fi
  UNFENCED=
  [[ -z $victim ]] || fenced_since_mark | grep -qx "$victim" || UNFENCED=$victim
  [[ -s $W/clear ]] && crm_resource_on_node1 --clear --resource "$(cat "$W/clear")" >/dev/null 2>&1
  for n in $(fenced_since_mark); do
    if [[ $n != "$victim" ]]; then
      violation fenced "round $r ($kind${victim:+ of $victim}): $n fenced; scheduler: $(fence_reasons "$n")"
    fi
  done
  check_watchers
  # What failed in this round is cleaned up now, so that the next fault starts from a clean slate.
  if [[ $(crm_mon_xml | crm_xpath 'count(//failures/failure)') != 0 ]]; then
    crm_resource_on_node1 --cleanup >/dev/null 2>&1
  fi
done

# --- the end ---------------------------------------------------------------------------------------
crm_resource_on_node1 --cleanup >/dev/null 2>&1
mark_logs
await_recovery "$(now)" >/dev/null || violation not-running "not whole after the cleanup at the end"
for n in $(fenced_since_mark); do violation fenced "after the last round: $n fenced; scheduler: $(fence_reasons "$n")"; done
failed=$(crm_mon_xml | crm_xpath 'count(//failures/failure)')
if [[ $failed != 0 ]]; then
  failures=$(crm_mon_xml | crm_xpath '//failures/failure/@*' | tr '\n' ' ' | head -c 400)
  violation failed-actions "$failed failed actions after cleanup: $failures"
fi
scale_all_online || violation offline "not every node online at the end"
# A sampler that died, or stalled longer than an overlap it must see, did not watch the whole run.
kill "$SAMPLER" 2>/dev/null || violation two-writers "the sampler had exited before the end: the run was not watched throughout"
wait "$SAMPLER" 2>/dev/null
SAMPLER=
while read -r line; do [[ -n $line ]] && violation two-writers "$line"; done <"$W/sampler/violations"
max_gap_ms=$(cat "$W/sampler/max-gap-ms" 2>/dev/null || echo unknown)
if ! [[ $max_gap_ms =~ ^[0-9]+$ ]] || ((max_gap_ms > SAMPLER_MAX_GAP_MS)); then
  violation two-writers "the sampler was blind for $max_gap_ms ms at once (more than $SAMPLER_MAX_GAP_MS)"
fi

# --- the table -------------------------------------------------------------------------------------
stats() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "- -"; exit }
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f %.1f\n", m, v[NR] }'; }
nviol=$(grep -c . "$W/violations" 2>/dev/null || true)
echo
rounds="$ROUNDS rounds"
((ran == ROUNDS)) || rounds="$ran of $ROUNDS rounds (stopped: the cluster did not recover)"
echo "### Soak: seed $SEED, $rounds, $VMS VMs, agents $FLAVOUR, STONITH $STONITH"
echo
echo "| fault | injected | recovered | recovery median s | recovery max s |"
echo "| --- | ---: | ---: | ---: | ---: |"
for k in "${KINDS[@]}"; do
  [[ -n ${N_FAULTS[$k]:-} ]] || continue
  read -r med mx <<<"$(stats "${TIMES[$k]:-}")"
  echo "| $k | ${N_FAULTS[$k]} | ${N_RECOVERED[$k]:-0} | $med | $mx |"
done
echo
samples=$(cat "$W/sampler/samples" 2>/dev/null || echo 0)
most_qemus=$(sort -k2 -n "$W/sampler/max-qemus" 2>/dev/null | tail -1 | cut -d' ' -f2)
echo "Invariant violations: ${nviol:-0} (sampler: $samples samples of /proc, at most $max_gap_ms ms apart;" \
  "most QEMUs one VM had at once: $most_qemus)"
[[ ${nviol:-0} == 0 ]] || sed 's/^/  - /' "$W/violations"
echo "Seed: $SEED (replay: $REPLAY make soak)"
[[ ${nviol:-0} == 0 ]] && finish 0
finish 1
