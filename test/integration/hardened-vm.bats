#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# ocf:seapath:vm, every action, under what SEAPATH's hardened pacemaker.service applies (the wrapper
# dist/harden, lab/harden): two libvirt nodes (a, b), the guest's disk and XML in Ceph (node ceph).
# Pacemaker's sequence: probe, start, monitor, migrate_to + migrate_from (a -> b), stop.

setup_file() {
  load vm-helpers
  [ -x "$BATS_TEST_DIRNAME/../../dist/harden" ] || { echo "dist/harden missing: make harden" >&2; return 1; }
  vm_pair_up vmh
}

teardown_file() {
  load vm-helpers
  vm_lab_down a b
}

setup() {
  load vm-helpers
  # shellcheck disable=SC2034 # read by the helpers (fo_agent, ocf_agent, vm_agent)
  OCF_WRAPPER=("$BATS_TEST_DIRNAME/../../dist/harden" --systemd-seccomp)
}

@test "hardened: a probe says 7; start fetches the XML from RBD and runs the guest; monitor says 0" {
  rm -f "$VM_DIR/etc/vmh.xml"
  run vm_agent a monitor vmh CRM_meta_interval=0
  echo "$output"
  [ "$status" -eq 7 ]
  run vm_agent a start vmh
  echo "$output"
  [ "$status" -eq 0 ]
  diff <(ceph_rbd image-meta get rbd/system_vmh xml) "$VM_DIR/etc/vmh.xml"
  [ "$(vm_state a vmh)" = running ]
  [[ $(ceph_watchers "$VM_CEPH_DIR" rbd/system_vmh) == "watcher=${VM_NODE_IP[a]}:0/"* ]]
  vm_monitor_is a vmh 0 10000
  vm_monitor_is b vmh 7 0
}

@test "hardened: migrate_to and migrate_from move the running guest a -> b; it keeps its boot" {
  vm_needs a vmh
  libvirt_wait_guest_up "$VM_DIR/vmh.serial" 60
  local boot
  boot=$(libvirt_guest_heartbeat "$VM_DIR/vmh.serial" | cut -d' ' -f1)
  run vm_agent a migrate_to vmh migration_transport=tcp CRM_meta_migrate_source=a CRM_meta_migrate_target=b
  echo "$output"
  [ "$status" -eq 0 ]
  run vm_agent b migrate_from vmh migration_transport=tcp CRM_meta_migrate_source=a CRM_meta_migrate_target=b
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(vm_state b vmh)" = running ]
  [ "$(vm_state a vmh)" = absent ]
  [ "$(libvirt_guest_heartbeat "$VM_DIR/vmh.serial" | cut -d' ' -f1)" = "$boot" ]
  vm_monitor_is b vmh 0 10000
}

@test "hardened: stop on the source after the migration is 0; stop on the target shuts the guest down" {
  vm_needs b vmh
  run vm_agent a stop vmh
  [ "$status" -eq 0 ]
  [ "$(vm_state b vmh)" = running ]
  run vm_agent b stop vmh
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(vm_state b vmh)" = absent ]
  ceph_unwatched "$VM_CEPH_DIR" rbd/system_vmh
  vm_monitor_is b vmh 7 0
}
