#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Live migration with ocf:seapath:vm between two libvirt nodes (a, b) in separate namespaces,
# the guest's disk and XML in Ceph (node ceph). Nodes find each other by name through their
# own /etc/hosts, as cluster nodes do; the control connection is qemu+tcp.

setup_file() {
  load vm-helpers
  vm_pair_up vmm vmk
  # a dead client's watch lingers osd_client_watch_timeout (30 s by default): shorter here
  ceph_ceph config set osd osd_client_watch_timeout 5
}

teardown_file() {
  load vm-helpers
  vm_lab_down a b
}

setup() {
  load vm-helpers
}

teardown() {
  # a migration that fails for libvirt or QEMU's reasons leaves their side of it in the output
  [ -n "${BATS_TEST_COMPLETED:-}" ] || { libvirt_show_logs a vmm vmk; libvirt_show_logs b vmm vmk; }
}

_beat() { libvirt_guest_heartbeat "$VM_DIR/vmm.serial"; }
_absent_on() { [ "$(vm_state "$1" "$2")" = absent ]; }

@test "migrate_to and migrate_from move the running guest a -> b over tcp with migrate_options; same boot; the target needs no rbd" {
  vm_agent a start vmm
  libvirt_wait_guest_up "$VM_DIR/vmm.serial" 60
  local before boot n src_pid
  before=$(_beat); boot=${before%% *}
  src_pid=$(libvirt_domain_pid a vmm)
  local options="--p2p --auto-converge --compressed --timeout 60"
  run vm_agent a migrate_to vmm migration_transport=tcp "migrate_options=$options" \
    CRM_meta_migrate_source=a CRM_meta_migrate_target=b
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"live-migrating vmm to b: virsh migrate --live --undefinesource $options -- vmm qemu+tcp://b/system"* ]]
  # the guest has arrived: migrate_from needs virsh only, not rbd
  run vm_agent_hiding rbd b migrate_from vmm migration_transport=tcp CRM_meta_migrate_source=a CRM_meta_migrate_target=b
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(vm_state b vmm)" = running ]
  [ "$(vm_state a vmm)" = absent ]
  ! proc_alive "$src_pid" || false
  # the guest did not reboot and goes on beating on b, well past the migration (12 s)
  n=$(_beat | cut -d' ' -f3)
  libvirt_wait_guest_beats_after "$VM_DIR/vmm.serial" "$boot" "$((n + 12))" 30
  [ "$(vm_state b vmm)" = running ]
  [[ $(ceph_watchers "$VM_CEPH_DIR" rbd/system_vmm) == "watcher=${VM_NODE_IP[b]}:0/"* ]]
  # transient there as it was here: no node keeps a definition it does not run
  libvirt_virsh b dominfo vmm | grep -q '^Persistent: *no'
}

@test "the stop Pacemaker runs on the source after a migration is 0 and leaves the guest on the target alone" {
  vm_needs b vmm
  local pid
  pid=$(libvirt_domain_pid b vmm)
  run vm_agent a stop vmm
  [ "$status" -eq 0 ]
  [ "$(libvirt_domain_pid b vmm)" = "$pid" ]
  vm_monitor_is a vmm 7 0
  vm_monitor_is b vmm 0 10000
}

@test "migration back b -> a over a migration network (suffix) on migrateport, with downtime and speed set" {
  vm_needs b vmm
  local before boot n
  before=$(_beat); boot=${before%% *}
  run vm_agent b migrate_to vmm migration_transport=tcp migration_network_suffix=-mig migrateport=49170 \
    migration_downtime=300 migration_speed=1000 CRM_meta_migrate_source=b CRM_meta_migrate_target=a
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *" --migrateuri tcp://a-mig:49170 -- vmm qemu+tcp://a-mig/system"* ]]
  # set while the migration job ran (VirtualDomain's `sleep 2` would miss a migration this short)
  [[ $output == *"maximum downtime of vmm's migration set to 300 ms"* ]]
  run vm_agent a migrate_from vmm CRM_meta_migrate_source=b CRM_meta_migrate_target=a
  [ "$status" -eq 0 ]
  [ "$(vm_state a vmm)" = running ]
  [ "$(vm_state b vmm)" = absent ]
  # A -> B -> A in a row: still the first boot, still beating 12 s later
  n=$(_beat | cut -d' ' -f3)
  libvirt_wait_guest_beats_after "$VM_DIR/vmm.serial" "$boot" "$((n + 12))" 30
  [ "$(vm_state a vmm)" = running ]
}

@test "a half-done migration: migrate_from where the guest already arrived is 0; where it never left, 1 at once" {
  vm_needs a vmm
  # Pacemaker's partial migration: migrate_to succeeded, migrate_from runs (again) on the target
  run vm_agent a migrate_from vmm CRM_meta_migrate_source=b CRM_meta_migrate_target=a
  [ "$status" -eq 0 ]
  # migrate_from on b without any migrate_to: the guest is still on a
  local t0=$SECONDS
  run vm_agent b migrate_from vmm CRM_meta_migrate_source=a CRM_meta_migrate_target=b
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "vmm did not arrive from a: it is not defined here, so migrate_to did not move it" ]]
  (( SECONDS - t0 < 5 ))
  [ "$(vm_state a vmm)" = running ]
  [ "$(vm_state b vmm)" = absent ]
}

@test "first migration to a node without the XML, domain named apart from its config: migrate_from fetches it, finds the guest" {
  # vmn's XML names the domain guest-n; b has no copy of it, and a stopped domain "vmn" is defined there
  libvirt_domain_xml vmn --guest noos | sed 's|<name>vmn</name>|<name>guest-n</name>|' >"$VM_DIR/vmn.xml"
  ceph_system_image "$VM_CEPH_DIR" vmn "$VM_DIR/vmn.xml"
  libvirt_domain_xml vmn --guest noos --uuid 6b1e5c1a-0000-4000-8000-00000000d0c0 >"$VM_DIR/decoy.xml"
  libvirt_virsh b define "$VM_DIR/decoy.xml" >/dev/null
  vm_agent a start vmn
  [ "$(vm_state a guest-n)" = running ]
  run vm_agent a migrate_to vmn migration_transport=tcp CRM_meta_migrate_source=a CRM_meta_migrate_target=b
  [ "$status" -eq 0 ]
  local config_b=$VM_DIR/etc-b/vmn.xml
  [ ! -e "$config_b" ]
  run vm_agent b migrate_from vmn config="$config_b" CRM_meta_migrate_source=a CRM_meta_migrate_target=b
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"guest-n runs here after its migration from a"* ]]
  grep -q '<name>guest-n</name>' "$config_b"
  [ "$(vm_state b guest-n)" = running ]
  [ "$(vm_state b vmn)" = "shut off" ]
  [ "$(vm_state a guest-n)" = absent ]
  run vm_agent b stop vmn config="$config_b" force_stop=true
  [ "$status" -eq 0 ]
  [ "$(vm_state b guest-n)" = absent ]
  libvirt_virsh b undefine vmn >/dev/null
}

@test "migrate_to of a domain that is not running here is 1, and touches nothing" {
  run vm_agent b migrate_to vmm migration_transport=tcp CRM_meta_migrate_source=b CRM_meta_migrate_target=a
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "cannot migrate vmm to a: it is not running here"* ]]
  [ "$(vm_state a vmm)" = running ]
}

@test "a failed migration (target unreachable) is 1 with libvirt's reason, and the guest still runs on the source" {
  run vm_agent a migrate_to vmm remoteuri=qemu+tcp://203.0.113.1/system CRM_meta_migrate_source=a CRM_meta_migrate_target=b
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "live migration of vmm to b failed: virsh migrate exited 1: "* ]]
  [ "$(vm_state a vmm)" = running ]
}

@test "a migration that outlasts migrate_to's timeout is ended: 1 saying so, the guest runs on in the source, nothing on the target" {
  vm_needs a vmm
  local before boot n
  before=$(_beat); boot=${before%% *}
  # 1 MiB/s: the guest's pages take well over the few seconds an 8 s timeout leaves the migration
  OCF_TIMEOUT_MS=8000 run vm_agent a migrate_to vmm migration_transport=tcp migration_speed=1 \
    CRM_meta_migrate_source=a CRM_meta_migrate_target=b
  echo "$output"
  [ "$status" -eq 1 ]
  # aborted while virsh still waits on it: killing virsh first can break the migration off, leaving
  # nothing to abort and a reason that cannot tell where the guest is
  [ "$(ocf_exit_reason)" = "live migration of vmm to b did not finish within the migrate_to timeout; it was aborted, and vmm runs on here" ]
  [ "$(vm_state a vmm)" = running ]
  wait_until 10 "the target's half to be gone" _absent_on b vmm
  # the same boot goes on beating on the source, and its disk stays watched from there only
  n=$(_beat | cut -d' ' -f3)
  libvirt_wait_guest_beats_after "$VM_DIR/vmm.serial" "$boot" "$((n + 3))" 20
  [[ $(ceph_watchers "$VM_CEPH_DIR" rbd/system_vmm) == "watcher=${VM_NODE_IP[a]}:0/"* ]]
  [ "$(ceph_watchers "$VM_CEPH_DIR" rbd/system_vmm | wc -l)" -eq 1 ]
}

@test "split brain for real: vmm runs on a (behind the cluster's back); start on b refuses and starts nothing" {
  vm_needs a vmm
  run vm_agent b start vmm
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "refusing to start vmm: held by "*"client."*" at ${VM_NODE_IP[a]}:0/"*"rbd/system_vmm is held by"* ]]
  [ "$(vm_state b vmm)" = absent ]
  run vm_agent a stop vmm
  [ "$status" -eq 0 ]
  [ "$(vm_state a vmm)" = absent ]
}

@test "split brain, two starts at the same moment on a and b: one runs the VM, the other refuses; neither QEMU runs twice" {
  vm_image vmr --guest noos
  local round rc_a rc_b
  for round in 1 2 3; do
    OCF_TIMEOUT_MS=10000 vm_agent a start vmr >"$VM_DIR/race-a.out" 2>&1 &
    local pid_a=$!
    OCF_TIMEOUT_MS=10000 vm_agent b start vmr >"$VM_DIR/race-b.out" 2>&1 &
    local pid_b=$!
    rc_a=0 rc_b=0
    wait "$pid_a" || rc_a=$?
    wait "$pid_b" || rc_b=$?
    echo "round $round: a $rc_a, b $rc_b"
    cat "$VM_DIR/race-a.out" "$VM_DIR/race-b.out"
    [ $((rc_a + rc_b)) -eq 1 ]
    [ "$(vm_state a vmr)" = "$([ "$rc_a" -eq 0 ] && echo running || echo absent)" ]
    [ "$(vm_state b vmr)" = "$([ "$rc_b" -eq 0 ] && echo running || echo absent)" ]
    grep -q "refusing to start vmr: " "$VM_DIR/race-$([ "$rc_a" -eq 1 ] && echo a || echo b).out"
    # the start lock went with the start that won: nothing of it is left to hold up a later start
    [[ $(ceph_rados --pool=rbd lock info "$(_header_of vmr)" seapath-start) != *'"cookie"'* ]]
    vm_agent a stop vmr force_stop=true
    vm_agent b stop vmr force_stop=true
    wait_until 20 "vmr's image to be free" ceph_unwatched "$VM_CEPH_DIR" rbd/system_vmr
  done
}

@test "a start lock of another node's start on the image: start waits for it, and refuses naming that node when it stays" {
  vm_image vml --guest noos
  local header
  header=$(_header_of vml)
  ceph_rados --pool=rbd lock get "$header" seapath-start --lock-cookie other --lock-duration 60 \
    --lock-description "vml starting on nodeX"
  OCF_TIMEOUT_MS=8000 run vm_agent a start vml
  echo "$output"
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "refusing to start vml: nodeX is starting it (start lock on rbd/system_vml"* ]]
  [ "$(vm_state a vml)" = absent ]
  # released within the wait: the start goes on
  (sleep 3 && ceph_rados --pool=rbd lock break "$header" seapath-start "$(_start_locker "$header")" --lock-cookie other) &
  local breaker=$!
  OCF_TIMEOUT_MS=30000 run vm_agent a start vml
  wait "$breaker"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"nodeX is starting vml"*"waiting"* ]]
  [ "$(vm_state a vml)" = running ]
  vm_agent a stop vml force_stop=true
}

@test "failover after a node dies: its QEMU's watch expires, the survivor's start blocklists it, breaking its stale lock, and runs the VM" {
  # The OSD drops a silent watch osd_client_watch_timeout after its last ping, and librbd pings every
  # 5 s: with the file's 5 s a stopped QEMU's watch can be gone before the start looks (0.5-3.5 s here).
  # 10 s, set when b's QEMU takes its watch, leaves it 5-10 s: the start sees it and waits.
  ceph_ceph config set osd osd_client_watch_timeout 10
  vm_agent b start vmk
  ceph_ceph config set osd osd_client_watch_timeout 5
  libvirt_wait_guest_up "$VM_DIR/vmk.serial" 60
  [[ $(ceph_rbd lock ls rbd/system_vmk) == *"auto "*"${VM_NODE_IP[b]}:0/"* ]]
  local before
  before=$(libvirt_guest_heartbeat "$VM_DIR/vmk.serial" | cut -d' ' -f1)
  # node b dies: its QEMU stops dead and never releases its watch or its lock. SIGSTOP, not SIGKILL:
  # a killed process's sockets close, and the OSD may drop the watch at once, which no power cut does
  local dead
  dead=$(libvirt_domain_pid b vmk)
  kill -STOP "$dead"
  # asked until it answers: one `rbd status` of a busy lab may come back empty
  wait_until 20 "b's watch on vmk" _watched_by vmk "${VM_NODE_IP[b]}"
  OCF_TIMEOUT_MS=60000 run vm_agent a start vmk
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"waiting up to "*" s for it to go away"* ]]
  [[ $output == *"rbd/system_vmk: client."*" at ${VM_NODE_IP[b]}:0/"*"holds the lock but no longer watches it"*"blocklisted it"* ]]
  [ "$(vm_state a vmk)" = running ]
  # b's QEMU may only be cut off from Ceph: blocklisted before a's started, it cannot write if it comes back
  [[ $(ceph_ceph osd blocklist ls 2>/dev/null) == *"${VM_NODE_IP[b]}:0/"* ]]
  # the new QEMU broke the stale lock and took the image: a new boot writes and beats on a
  wait_until 60 "a new boot of vmk" _new_boot vmk "$before"
  wait_until 20 "a's QEMU to hold the lock" _lock_on vmk "${VM_NODE_IP[a]}"
  kill -KILL "$dead"
  vm_agent a stop vmk force_stop=true
  vm_agent b stop vmk
}

_header_of() { echo "rbd_header.$(ceph_rbd info --format json "rbd/system_$1" | jq -r .id)"; }
_start_locker() { ceph_rados --pool=rbd lock info "$1" seapath-start | jq -r '.lockers[0].name'; }
_new_boot() { local hb; hb=$(libvirt_guest_heartbeat "$VM_DIR/$1.serial") && [ "${hb%% *}" != "$2" ]; }
_watched_by() { [[ $(ceph_watchers "$VM_CEPH_DIR" "rbd/system_$1") == "watcher=$2:0/"* ]]; }
_lock_on() { [[ $(ceph_rbd lock ls "rbd/system_$1") == *"auto "*"$2:0/"* ]]; }
