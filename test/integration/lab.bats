#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# End to end, on the three-node lab (lab/lab.sh): the demo's scenarios and the failure cases,
# asserted on cluster state (crm_mon XML), Ceph (rbd status), libvirt (virsh on each node),
# the processes on the machine and the Outscale simulator's request log.

export LAB_ROOT=/var/lib/seapath-lab-e2e
LAB="$BATS_TEST_DIRNAME/../../lab/lab.sh"

setup_file() {
  "$LAB" up >&3 || return 1
  "$LAB" deploy >&3 || return 1
}

teardown_file() {
  LAB_SAVE_LOGS=${LAB_SAVE_LOGS:-${BATS_RUN_TMPDIR:-/tmp}/lab-logs} "$LAB" down >/dev/null 2>&1 || true
}

setup() {
  load ../../lab/lib/session
  lab_attach
  SERIAL=$LAB_ROOT/vm1.serial
  # Each scenario starts from a clean slate: no failure history from the previous one.
  in_cluster node1 crm_resource --cleanup >/dev/null 2>&1 || true
}

# Whatever a scenario changed is undone even when an assertion failed half-way: a sampler left
# running keeps bats from exiting, a stopped libvirtd or frozen QEMU would outlive the test.
teardown() {
  [[ -z ${watcher:-} ]] || kill "$watcher" 2>/dev/null || true
  proc_thaw "$FROZEN_GROUP" || true
  [[ -z ${libvirtd:-} ]] || kill -CONT "$libvirtd" 2>/dev/null || true
  [[ -z ${blackholed:-} ]] || in_node "$blackholed" ip route del blackhole 192.0.2.1/32 2>/dev/null || true
  [[ -z ${sim_faulted:-} ]] || "$LAB" sim-faults '{}' || true
  in_cluster node1 crm_resource --clear --resource vm1 >/dev/null 2>&1 || true
  [[ -z ${restore_vm1:-} ]] ||
    in_cluster node1 pcs resource update vm1 op stop timeout=60s meta allow-migrate=true >/dev/null 2>&1 || true
  [[ -n ${BATS_TEST_COMPLETED:-} ]] && return 0
  echo "# the cluster when the test failed:"
  crm_picture
  tail -n 4 "$LAB_ROOT/power.log" "$LAB_ROOT/hooks.log" 2>/dev/null
  local n
  for n in node1 node2 node3; do
    echo "--- $n: the vm agent's last lines"
    grep -h 'vm(vm1)' "$(node_dir "$n")/fs/var/log/pacemaker/pacemaker.log" 2>/dev/null | tail -n 6
  done
  return 0
}

not_started() { [[ -z $(crm_where_is "$1") ]]; }
pingd_is() { in_cluster node1 attrd_updater -Q -n pingd -N "$1" 2>/dev/null | grep -q "value=\"$2\""; }
all_online() { [[ $(crm_online_count) == 3 ]]; }
# QEMU processes of vm1 anywhere on this machine (zombies excluded): the ground truth for "twice".
vm1_qemu_pids() {
  local p
  for p in $(pgrep -f 'qemu-system-x86_64.*guest=vm1' || true); do
    ! proc_alive "$p" || echo "$p"
  done
}
vm1_qemus() { vm1_qemu_pids | wc -l; }
sim_requests() { jq -c "select(.operation == \"$1\")" "$LAB_ROOT/sim-requests.jsonl"; }
vm_id_of() { printf 'i-%08x\n' "$((0x5ea9a700 + ${1#node}))"; }
# At least COUNT StopVms of NODE's VM the simulator answered 503 after line LINES of its request log.
refused_stops_reach() { # LINES NODE COUNT
  # shellcheck disable=SC2016 # $vm is jq's
  local refused='select(.operation == "StopVms" and .status == 503 and (tostring | contains($vm)))'
  (($(tail -n +"$(($1 + 1))" "$LAB_ROOT/sim-requests.jsonl" | jq -c --arg vm "$(vm_id_of "$2")" "$refused" | wc -l) >= $3))
}
# Samples the number of vm1 QEMUs every 0.2 s into FILE until the returned pid is killed.
watch_qemus() {
  (proc_close_fds && _sample_qemus "$1") </dev/null >/dev/null 2>&1 &
  echo $!
}
_sample_qemus() { while :; do vm1_qemus >>"$1"; sleep 0.2; done; }
# The cgroup-v1 freezer group that holds a QEMU SIGKILL cannot end (proc_freeze).
FROZEN_GROUP=seapath-lab-e2e-stuck

@test "vm1 runs once, on the node whose QEMU holds its RBD image, and the vip follows it" {
  on=$(crm_wait_where vm1 120)
  [ "$(vm1_qemus)" -eq 1 ]
  for n in node1 node2 node3; do
    run in_node "$n" virsh domstate vm1
    if [ "$n" = "$on" ]; then [ "$output" = running ]; else [ "$status" -ne 0 ]; fi
  done
  run ceph_rbd status rbd/system_vm1
  [[ $output == *"watcher=192.0.2.1${on#node}:"* ]]
  wait_until 30 "vip to follow vm1" crm_started_on vip "$on"
  in_node client ping -c 1 -W 2 192.0.2.50
  libvirt_wait_guest_up "$SERIAL" 60
}

@test "live migration moves vm1 to another node with the guest still running" {
  src=$(crm_where_is vm1)
  dst=node1; [ "$src" = node1 ] && dst=node2
  libvirt_wait_guest_up "$SERIAL" 60
  read -r boot _ count <<<"$(libvirt_guest_heartbeat "$SERIAL")"
  in_cluster node1 crm_resource --move --resource vm1 --node "$dst"
  wait_until 120 "vm1 to run on $dst" crm_started_on vm1 "$dst"
  # The vip follows before the move constraint goes: a sticky vip left behind would pull vm1 back.
  wait_until 30 "vip to follow vm1" crm_started_on vip "$dst"
  in_cluster node1 crm_resource --clear --resource vm1
  libvirt_wait_guest_beats_after "$SERIAL" "$boot" "$count" 20
  sleep 10 # the guest must keep running after the move, not only just after it
  libvirt_wait_guest_beats_after "$SERIAL" "$boot" "$((count + 10))" 20
  [ "$(vm1_qemus)" -eq 1 ]
  run in_node "$src" virsh domstate vm1
  [ "$status" -ne 0 ]
  grep -q 'vm1_migrate_from_0' "$(node_dir "$dst")/fs/var/log/pacemaker/pacemaker.log"
  # as on SEAPATH: over ssh, the source's root logged in to the target as libvirtadmin
  grep -q "Accepted publickey for libvirtadmin from 192.0.2.1${src#node} " "$LAB_ROOT/seapath/nodes/$dst/sshd.log"
}

@test "losing connectivity to the gateway on vm1's node moves vm1 away through the pingd rule" {
  on=$(crm_where_is vm1)
  blackholed=$on
  in_node "$on" ip route add blackhole 192.0.2.1/32
  wait_until 60 "vm1 to leave $on" crm_started_elsewhere_than vm1 "$on"
  run in_cluster node1 crm_mon -1 -A --output-as=xml
  [[ $output == *"<attribute name=\"pingd\" value=\"0\""* ]]
  in_node "$on" ip route del blackhole 192.0.2.1/32
  wait_until 30 "pingd on $on to come back" pingd_is "$on" 1000
  [ "$(vm1_qemus)" -eq 1 ]
}

@test "a dead node is fenced through fence_outscale; vm1 and the vip recover on a survivor; the node rejoins" {
  victim=$(crm_where_is vm1)
  log_lines=$(wc -l <"$LAB_ROOT/sim-requests.jsonl")
  "$LAB" crash "$victim"
  wait_until 60 "vm1 to run on a survivor" crm_started_elsewhere_than vm1 "$victim"
  wait_until 30 "vip to follow vm1" crm_started_on vip "$(crm_where_is vm1)"
  stop=$(tail -n +"$((log_lines + 1))" "$LAB_ROOT/sim-requests.jsonl" | jq -c 'select(.operation == "StopVms")' | head -1)
  [[ $stop == *"\"VmIds\":[\"$(vm_id_of "$victim")\"]"* ]]
  [[ $stop == *'"ForceStop":true'* ]]
  [[ $stop == *'"status":200'* ]]
  local invalid='select(.schemaViolations != null and (.schemaViolations | length) > 0) | .operation'
  [ "$(tail -n +"$((log_lines + 1))" "$LAB_ROOT/sim-requests.jsonl" | jq -r "$invalid" | wc -l)" -eq 0 ]
  [ "$(vm1_qemus)" -eq 1 ]
  in_node client ping -c 1 -W 2 192.0.2.50
  wait_until 120 "$victim to rejoin" crm_node_online "$victim"
  run in_cluster node1 stonith_admin --history "$victim" --output-as=xml
  [[ $output == *'status="success"'* ]]
}

@test "with fence_outscale failing (503), vm1 stays stopped, never twice, until fencing succeeds" {
  wait_until 120 "all nodes online" all_online
  victim=$(crm_where_is vm1)
  sim_faulted=1
  "$LAB" sim-faults '{"operations":{"StopVms":{"failures":{"count":1000,"status":503}}}}'
  samples=$BATS_TEST_TMPDIR/qemus
  watcher=$(watch_qemus "$samples")
  log_lines=$(wc -l <"$LAB_ROOT/sim-requests.jsonl")
  "$LAB" crash "$victim"
  # fencing is attempted and fails, again and again: fence_outscale asks 1 + api_retries (4) times a
  # call, so ten refusals are two fence calls
  wait_until 120 "ten StopVms of $victim to be refused" refused_stops_reach "$log_lines" "$victim" 10
  # The survivors list vm1 as still Started on the unclean victim; it must be Started nowhere else.
  run crm_started_elsewhere_than vm1 "$victim"
  failed_status=$status
  "$LAB" sim-faults '{}'
  wait_until 120 "vm1 to run on a survivor once fencing works" crm_started_elsewhere_than vm1 "$victim"
  kill "$watcher"
  [ "$failed_status" -ne 0 ] # vm1 was not started elsewhere while its node was not fenced
  [ "$(sort -n "$samples" | tail -1)" -le 1 ]
  [ "$(jq -c 'select(.operation == "StopVms" and .status == 503)' "$LAB_ROOT/sim-requests.jsonl" | wc -l)" -ge 1 ]
  wait_until 120 "$victim to rejoin" crm_node_online "$victim"
}

@test "a stop that cannot finish (libvirtd hung, QEMU stuck past SIGKILL) fails naming it, ends in fencing and recovery, never twice" {
  wait_until 120 "all nodes online" all_online
  wait_until 120 "vm1 to start" crm_started_anywhere vm1
  in_cluster node1 crm_resource --wait --timeout=60s # vm1 where the cluster means it to stay
  victim=$(crm_where_is vm1)
  [ "$(vm1_qemus)" -eq 1 ]
  local qemu log log_lines
  qemu=$(vm1_qemu_pids)
  log=$(node_dir "$victim")/fs/var/log/pacemaker/pacemaker.log
  log_lines=$(wc -l <"$log")
  # Without migration, moving vm1 means stopping it here: with libvirtd hung and its QEMU in D state
  # (a frozen cgroup: as a process stuck on its storage, it outlives SIGKILL), that stop cannot finish.
  restore_vm1=1
  in_cluster node1 pcs resource update vm1 op stop timeout=10s meta allow-migrate=false
  fences_before=$(grep -cs "power-off $victim" "$LAB_ROOT/power.log" || true)
  samples=$BATS_TEST_TMPDIR/qemus
  watcher=$(watch_qemus "$samples")
  libvirtd=$(for p in $(node_pids "$victim"); do [[ $(cat "/proc/$p/comm" 2>/dev/null) != libvirtd ]] || echo "$p"; done)
  [ -n "$libvirtd" ]
  kill -STOP "$libvirtd"
  proc_freeze "$FROZEN_GROUP" "$qemu"
  in_cluster node1 crm_resource --move --resource vm1 --node "$( [ "$victim" = node1 ] && echo node2 || echo node1)"
  wait_until 90 "$victim to be fenced" bash -c "(( \$(grep -cs 'power-off $victim' '$LAB_ROOT/power.log') > ${fences_before:-0} ))"
  # The power cut ended the stuck QEMU (node_kill_all thaws what it cannot kill).
  ! proc_alive "$qemu" || false
  wait_until 120 "vm1 to run on a survivor" crm_started_elsewhere_than vm1 "$victim"
  kill "$watcher"
  [ "$(sort -n "$samples" | tail -1)" -le 1 ]
  [ "$(vm1_qemus)" -eq 1 ]
  # What the stop answered: a failure that says why, not a stopped VM.
  run grep 'vm(vm1).*ERROR' < <(tail -n +"$((log_lines + 1))" "$log")
  [[ $output == *"ERROR: stop failed (OCF_ERR_GENERIC): cannot stop vm1: its QEMU (pid $qemu) survived SIGKILL"* ]]
  wait_until 120 "$victim to rejoin" crm_node_online "$victim"
}

@test "every node's Pacemaker runs hardened (harden --systemd-seccomp), rejoined nodes too: execd and fenced have its limits" {
  [[ ${LAB_HARDENED:-1} != 0 ]] || skip "LAB_HARDENED=0: the lab runs Pacemaker plain"
  wait_until 120 "all nodes online" all_online
  local n d pid
  for n in node1 node2 node3; do
    for d in pacemaker-execd pacemaker-fence; do # comm keeps 15 characters
      pid=$(_cluster_pids_named "$n" "$d")
      [ -n "$pid" ]
      grep -qx $'NoNewPrivs:\t1' "/proc/$pid/status"
      grep -qx $'Seccomp:\t2' "/proc/$pid/status"
      # @system-service, and systemd 252's rules for MemoryDenyWriteExecute and RestrictNamespaces
      grep -qx $'Seccomp_filters:\t2' "/proc/$pid/status"
      # Debian's drop-in: chown dac_override kill setgid setuid net_admin setpcap
      grep -qx $'CapBnd:\t00000000000011e3' "/proc/$pid/status"
    done
  done
  # and the agents under them work: the ping clone publishes, vm1 and the vip run
  pingd_is node1 1000
  crm_started_anywhere vm1
  crm_started_anywhere vip
}
