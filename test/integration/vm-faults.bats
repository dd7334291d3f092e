#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# ocf:seapath:vm when what it drives fails: libvirtd killed or hung during a monitor and a
# stop, Ceph hung during a stop and a start. One libvirt node (a), Ceph in node ceph.

setup_file() {
  load vm-helpers
  vm_lab_up a
  vm_image vmf --guest noos
  vm_image vmc
  # a killed QEMU's watch lingers osd_client_watch_timeout (30 s by default): shorter here
  ceph_ceph config set osd osd_client_watch_timeout 5
}

teardown_file() {
  load vm-helpers
  ceph_resume "$VM_CEPH_DIR" || true
  _libvirtd_resume || true
  vm_lab_down a
}

setup() {
  load vm-helpers
}

_ms() { proc_now_ms; }
# run_with_ceph_hung TIMEOUT_MS ACTION VM [k=v...]: `run vm_agent a ACTION VM ...` with Ceph paused and
# OCF_TIMEOUT_MS=TIMEOUT_MS; sets took (ms).
run_with_ceph_hung() {
  local timeout=$1 t0
  shift
  ceph_pause "$VM_CEPH_DIR"
  t0=$(_ms)
  OCF_TIMEOUT_MS=$timeout run vm_agent a "$@"
  took=$(( $(_ms) - t0 ))
  ceph_resume "$VM_CEPH_DIR"
  echo "$output (took $took ms)"
}
_libvirtd_pid() { _libvirt_daemon_pid a; }
_libvirtd_pause() { kill -STOP "$(_libvirtd_pid)"; }
_libvirtd_resume() { local p; p=$(_libvirtd_pid) && kill -CONT "$p"; }
_libvirtd_restart() { LIBVIRT_HELPER_QUIET=1 LIBVIRT_EXEC="in_node a" libvirt_start a "${VM_NODE_IP[a]}"; }
_no_watcher() { ceph_unwatched "$VM_CEPH_DIR" "$1"; }
_running_vmf() {
  [ "$(vm_state a vmf)" = running ] || vm_agent a start vmf >/dev/null 2>&1
  libvirt_domain_pid a vmf
}

@test "libvirtd killed: while QEMU lives, a probe is 0 and a recurring monitor 0 with a warning for libvirt_outage_grace, then 1" {
  local qemu
  qemu=$(_running_vmf)
  libvirt_kill a
  run vm_agent a monitor vmf CRM_meta_interval=10000
  echo "$output"
  [ "$status" -eq 0 ]
  local runs="vmf's QEMU runs (pid $qemu): reported running for up to 120 s"
  [[ $output == *"WARNING: cannot reach libvirt at qemu:///system ("*") for "*" s; $runs"* ]]
  vm_monitor_is a vmf 0 0
  sleep 1
  run vm_agent a monitor vmf CRM_meta_interval=10000 libvirt_outage_grace=1
  [ "$status" -eq 1 ]
  local too_long="longer than libvirt_outage_grace (1 s); its QEMU still runs (pid $qemu)"
  [[ $(ocf_exit_reason) == "cannot reach libvirt at qemu:///system to check vmf for "*" s, $too_long" ]]
  # libvirtd back: it reattaches to the QEMU, and the monitor is 0 again, the outage forgotten
  _libvirtd_restart
  run vm_agent a monitor vmf CRM_meta_interval=10000 libvirt_outage_grace=1
  [ "$status" -eq 0 ]
  [[ $output == *"libvirt answers again"* ]]
}

@test "libvirt forgot the domain while its QEMU runs: 'failed to get domain' is not 7; the monitor is 1 naming the pid, and stop kills it" {
  local qemu d
  qemu=$(_running_vmf)
  libvirt_kill a
  # libvirtd restarts without the domain's status file, so it does not reattach to that QEMU
  d=$(_libvirt_dir a)
  rm -f "$d/run/qemu/vmf.xml"
  _libvirtd_restart
  [ "$(vm_state a vmf)" = absent ]
  proc_alive "$qemu"
  run vm_agent a monitor vmf CRM_meta_interval=10000
  echo "$output"
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "libvirt at qemu:///system says vmf is not defined, but its QEMU runs here (pid $qemu): a stop will kill it" ]]
  vm_monitor_is a vmf 1 0
  run vm_agent a stop vmf
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"killing its QEMU (pid $qemu)"* ]]
  ! proc_alive "$qemu" || false
  vm_monitor_is a vmf 7 0
  wait_until 20 "the killed QEMU's watch to expire" _no_watcher rbd/system_vmf
}

@test "libvirtd restarting during a stop: stop asks again within its graceful share and stops the domain through libvirt" {
  local qemu
  qemu=$(_running_vmf)
  libvirt_kill a
  ( sleep 3; _libvirtd_restart ) &
  local restart=$!
  OCF_TIMEOUT_MS=30000 run vm_agent a stop vmf
  wait "$restart"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"libvirt does not answer"*"asking again for up to"* ]]
  [[ $output == *"destroying vmf"* || $output == *"shutting down vmf"* ]]
  [[ $output != *"killing its QEMU"* ]]
  ! proc_alive "$qemu" || false
  [ "$(vm_state a vmf)" = absent ]
}

@test "libvirtd restarting while the guest shuts down: stop waits out its graceful share, destroys through libvirt, never kills QEMU" {
  local qemu out=$BATS_TEST_TMPDIR/stop.out
  qemu=$(_running_vmf) # a guest that ignores ACPI: the stop waits its whole graceful share
  OCF_TIMEOUT_MS=30000 vm_agent a stop vmf >"$out" 2>&1 &
  local stopper=$!
  wait_until 10 "the shutdown to begin" grep -q "shutting down vmf" "$out"
  libvirt_kill a
  sleep 3
  _libvirtd_restart
  wait "$stopper"
  local rc=$?
  cat "$out"
  [ "$rc" -eq 0 ]
  [[ $(<"$out") == *"libvirt does not answer while vmf shuts down"*"still waiting for the guest"* ]]
  [[ $(<"$out") == *"did not shut down in time; destroying it"* ]]
  [[ $(<"$out") != *"killing its QEMU"* ]]
  ! proc_alive "$qemu" || false
  [ "$(vm_state a vmf)" = absent ]
}

@test "libvirtd hung (SIGSTOP): the monitor answers within its timeout instead of hanging: 0 with a warning, QEMU being alive" {
  _running_vmf >/dev/null
  _libvirtd_pause
  local t0
  t0=$(_ms)
  OCF_TIMEOUT_MS=8000 run vm_agent a monitor vmf CRM_meta_interval=10000
  _libvirtd_resume
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"WARNING: cannot reach libvirt at qemu:///system (virsh domstate got no answer from qemu:///system in time)"* ]]
  (( $(_ms) - t0 < 8000 ))
}

@test "libvirtd killed during a stop: stop kills the domain's QEMU itself, exits 0, and nothing is left" {
  local qemu
  qemu=$(_running_vmf)
  libvirt_kill a
  run vm_agent a stop vmf
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"killing its QEMU (pid $qemu)"* ]]
  ! proc_alive "$qemu" || false
  ceph_unwatched "$VM_CEPH_DIR" rbd/system_vmf
  # still without libvirtd: nothing runs, so a second stop is 0 and a probe 7 (checked in /proc)
  run vm_agent a stop vmf
  [ "$status" -eq 0 ]
  vm_monitor_is a vmf 7 0
  _libvirtd_restart
  [ "$(vm_state a vmf)" != running ]
  vm_monitor_is a vmf 7 10000
  _no_watcher rbd/system_vmf
}

@test "stop on a node without the config file or a saved state (a guest migrated in): it stops the domain named after the resource" {
  local qemu
  qemu=$(_running_vmf)
  in_node a rm -f /run/resource-agents/seapath-vm-vmf.json
  # save_config_on_stop: the domain found under a guessed name may be another VM's; its XML is not saved as this one's
  run vm_agent a stop vmf seapath=false config="$VM_DIR/absent/vmf.xml" save_config_on_stop=true
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"stopping the domain named after the resource, vmf, if it runs here"* ]]
  [[ $output != *"treating the resource as stopped"* ]]
  [ "$(vm_state a vmf)" != running ]
  ! proc_alive "$qemu" || false
  ! in_node a test -e "$VM_DIR/absent/vmf.xml" || false
  # nothing of that name runs now: a second stop is 0, with libvirt saying so
  run vm_agent a stop vmf seapath=false config="$VM_DIR/absent/vmf.xml"
  [ "$status" -eq 0 ]
  [[ $output == *"vmf is stopped"* ]]
}

@test "libvirtd hung during a stop: each virsh call is bounded, QEMU is killed, stop is 0 within its timeout" {
  local qemu t0
  qemu=$(_running_vmf)
  _libvirtd_pause
  t0=$(_ms)
  OCF_TIMEOUT_MS=15000 run vm_agent a stop vmf
  local elapsed=$(( $(_ms) - t0 ))
  _libvirtd_resume
  echo "$output (took $elapsed ms)"
  [ "$status" -eq 0 ]
  [[ $output == *"killing its QEMU (pid $qemu)"* ]]
  ! proc_alive "$qemu" || false
  (( elapsed < 15000 ))
  vm_monitor_is a vmf 7 10000
  vm_agent a stop vmf
}

@test "libvirtd hung during a stop with a 2 s timeout: the first virsh call leaves time to kill QEMU, stop is 0" {
  local qemu
  qemu=$(_running_vmf)
  _libvirtd_pause
  OCF_TIMEOUT_MS=2000 run vm_agent a stop vmf
  _libvirtd_resume
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"killing its QEMU (pid $qemu)"* ]]
  ! proc_alive "$qemu" || false
  vm_monitor_is a vmf 7 10000
}

@test "Ceph hung during a stop of a booted guest: stop still ends, with QEMU gone, within the 30 s timeout" {
  vm_agent a start vmc
  libvirt_wait_guest_up "$VM_DIR/vmc.serial" 60
  local qemu took
  qemu=$(libvirt_domain_pid a vmc)
  run_with_ceph_hung 30000 stop vmc
  [ "$status" -eq 0 ]
  (( took < 30000 ))
  ! proc_alive "$qemu" || false
  [ "$(vm_state a vmc)" != running ]
}

@test "Ceph hung during a start: start fails with 1 and a reason within its timeout, and starts nothing" {
  local took
  run_with_ceph_hung 10000 start vmc
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "rbd did not answer in time reading the domain XML of rbd/system_vmc: is Ceph reachable from this node?" ]]
  (( took < 10000 ))
  [ "$(vm_state a vmc)" != running ]
}
