#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# SEAPATH as deployed, on the three-node lab (lab/lab.sh, lab/seapath.bash): SEAPATH's own
# vm_manager (lab/vendor/vm_manager, unmodified) drives a full VM lifecycle over our agent through
# crmsh; live migration runs over ssh as the non-root libvirtadmin, and its failures (host key,
# authentication, sshd down) leave the guest on the source with an exit reason naming the peer and
# the cause. State is asserted on crm_mon XML and the CIB, virsh on each node, rbd, the guest's
# serial console and the nodes' files.

export LAB_ROOT=/var/lib/seapath-lab-vmm
LAB="$BATS_TEST_DIRNAME/../../lab/lab.sh"
NODES=(node1 node2 node3)

setup_file() {
  "$LAB" up >&3 || return 1
  load ../../lab/lib/session
  lab_attach
  "$BATS_TEST_DIRNAME/../../lab/guest/build.sh" >/dev/null || return 1
  # The guest's disk, as an admin hands it to vm_manager: a qcow2 image (the lab's guest boots its
  # kernel directly; its disk carries a marker at 1 MiB that the snapshot tests read back).
  qemu-img create -q -f qcow2 "$LAB_ROOT/guest.qcow2" 64M &&
    qemu-io -f qcow2 -c 'write -q -P 0xa5 1M 64k' "$LAB_ROOT/guest.qcow2" || return 1
  # Base XMLs without a disk: vm_manager adds the RBD disk and sets the name.
  local vm
  for vm in guest1 guest2; do
    libvirt_domain_xml "base-$vm" --serial "$LAB_ROOT/$vm.serial" | sed '/<disk /,/<\/disk>/d' >"$LAB_ROOT/$vm.xml" || return 1
  done
  printf '<domain type="qemu"><name>broken</name>\n<devices>\n' >"$LAB_ROOT/broken.xml"
  # Stickiness keeps a VM where it runs once a move constraint is cleared (as lab.sh deploy does).
  in_cluster node1 crm configure rsc_defaults rsc-options: resource-stickiness=100
}

teardown_file() {
  LAB_SAVE_LOGS=${LAB_SAVE_LOGS:-${BATS_RUN_TMPDIR:-/tmp}/lab-vmm-logs} "$LAB" down >/dev/null 2>&1 || true
}

setup() {
  load ../../lab/lib/session
  load helpers/ocf
  lab_attach
}

# vm_manager_cmd as an admin runs it on a hypervisor (SEAPATH's vm-mgr).
vmm() { in_cluster node1 env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin vm_manager_cmd "$@"; }
crm_() { in_cluster node1 crm "$@"; }
primitive_attr() { # RSC XPATH-TAIL: a value from the resource's definition in the CIB
  in_cluster node1 cibadmin --query --xpath "//primitive[@id='$1']" 2>/dev/null | xmllint --xpath "string(/primitive$2)" -
}
param_of() { primitive_attr "$1" "/instance_attributes/nvpair[@name='$2']/@value"; }
in_cib() { in_cluster node1 cibadmin --query --xpath "//*[@id='$1']" >/dev/null 2>&1; }
# Running QEMUs of domain VM anywhere on this machine (zombies excluded).
qemus_of() {
  local p n=0 st
  for p in $(pgrep -f "qemu-system-x86_64.*guest=$1," || true); do
    st=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) || continue
    [[ $st != Z ]] && n=$((n + 1))
  done
  echo "$n"
}
domstate() { in_node "$1" virsh -q domstate "$2" 2>/dev/null || echo absent; }
# The domain runs on NODE and is not even defined on the other nodes.
runs_only_on() {
  local n
  for n in "${NODES[@]}"; do
    if [[ $n == "$1" ]]; then [[ $(domstate "$n" "$2") == running ]] || return 1
    else [[ $(domstate "$n" "$2") == absent ]] || return 1; fi
  done
}
defined_nowhere() { local n; for n in "${NODES[@]}"; do [[ $(domstate "$n" "$1") == absent ]] || return 1; done; }
# Reads the marker at 1 MiB of rbd/IMAGE (read-only: fine while a QEMU holds the image).
disk_marker_is() {
  local out
  out=$(in_node node1 qemu-io -r -f raw -c "read -P $2 1M 64k" "rbd:rbd/$1" 2>&1)
  [[ $out == *"read 65536/65536 bytes"* && $out != *"Pattern verification failed"* ]]
}
other_node() { if [[ $1 == node1 ]]; then echo node2; else echo node1; fi; }
not() { ! "$@"; } # bats' set -e ignores a bare `! cmd`
no_qemu_of() { [ "$(qemus_of "$1")" -eq 0 ]; }
# The node's sshd listener (lab/seapath.bash starts `/usr/sbin/sshd -D -E LOG`; once it listens,
# sshd retitles it "sshd: /usr/sbin/sshd -D -E LOG [listener] ...").
sshd_pid_of() {
  local p cmd
  for p in $(node_pids "$1"); do
    [[ $(readlink "/proc/$p/exe" 2>/dev/null) == /usr/sbin/sshd ]] || continue
    cmd=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)
    [[ $cmd == *'[listener]'* || $cmd == '/usr/sbin/sshd -D '* ]] && { echo "$p"; return 0; }
  done
  return 1
}
stop_sshd() {
  local pid
  pid=$(sshd_pid_of "$1")
  kill "$pid"
  wait_until 10 "sshd on $1 to exit" not sshd_pid_of "$1"
}

@test "vm_manager create imports the qcow2 into RBD and starts the VM as ocf:seapath:VirtualDomain, through crm" {
  # As SEAPATH's Ansible (module cluster_vm) creates a VM: vm_manager's Python API. (vm_manager_cmd
  # create drops --enable-live-migration: it copies it only if args already has live_migration.)
  run in_cluster node1 env PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /usr/bin/python3 -c '
import sys, vm_manager
vm_manager.create({"name": "guest1", "base_xml": open(sys.argv[1]).read(), "image": sys.argv[2],
                   "live_migration": True, "migration_user": "libvirtadmin"})' "$LAB_ROOT/guest1.xml" "$LAB_ROOT/guest.qcow2"
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  # Ceph: the image in group guest1, the generated domain XML in its metadata
  run ceph_rbd group image list rbd/guest1
  [[ $output == *"rbd/system_guest1"* ]]
  xml=$(ceph_rbd image-meta get rbd/system_guest1 xml)
  [[ $xml == *"<name>guest1</name>"* && $xml == *"rbd/system_guest1"* && $xml == *'<host name="storage" port="6789"'* ]]
  [ "$(ceph_rbd image-meta get rbd/system_guest1 _migration_user)" = libvirtadmin ]
  # Pacemaker: vm_manager's primitive, as SEAPATH creates it
  [ "$(primitive_attr guest1 /@provider):$(primitive_attr guest1 /@type)" = seapath:VirtualDomain ]
  [ "$(param_of guest1 seapath)" = true ]
  [ "$(param_of guest1 force_stop)" = false ]
  [ "$(param_of guest1 migration_transport)" = ssh ]
  [ "$(param_of guest1 migration_user)" = libvirtadmin ]
  [ "$(param_of guest1 config)" = /etc/pacemaker/guest1.xml ]
  [ "$(primitive_attr guest1 "/operations/op[@name='stop']/@timeout")" = 30 ]
  [ "$(primitive_attr guest1 "/meta_attributes/nvpair[@name='allow-migrate']/@value")" = true ]
  on=$(crm_wait_where guest1 120)
  runs_only_on "$on" guest1
  [ "$(qemus_of guest1)" -eq 1 ]
  libvirt_wait_guest_up "$LAB_ROOT/guest1.serial" 60
  # the image holds what the qcow2 held
  disk_marker_is system_guest1 0xa5
  # our agent cached the XML it fetched from RBD where the resource says, on that node only
  in_node "$on" grep -q '<name>guest1</name>' /etc/pacemaker/guest1.xml
}

@test "vm_manager status, list, stop and start" {
  [ "$(vmm status -n guest1)" = Started ]
  run vmm list
  [[ $output == *guest1* ]]
  read -r boot _ <<<"$(libvirt_guest_heartbeat "$LAB_ROOT/guest1.serial")"
  vmm stop -n guest1
  [ "$(vmm status -n guest1)" = "Stopped (disabled)" ]
  [ -z "$(crm_where_is guest1)" ]
  defined_nowhere guest1
  [ "$(qemus_of guest1)" -eq 0 ]
  : >"$LAB_ROOT/guest1.serial" # only the next boot's lines from now on
  vmm start -n guest1
  [ "$(vmm status -n guest1)" = Started ]
  runs_only_on "$(crm_where_is guest1)" guest1
  libvirt_wait_guest_up "$LAB_ROOT/guest1.serial" 60
  read -r boot2 _ <<<"$(libvirt_guest_heartbeat "$LAB_ROOT/guest1.serial")"
  [ "$boot2" != "$boot" ] # a new boot
}

@test "crm resource move live-migrates the VM over ssh as libvirtadmin; the guest keeps running" {
  src=$(crm_where_is guest1)
  dst=$(other_node "$src")
  libvirt_wait_guest_up "$LAB_ROOT/guest1.serial" 60
  read -r boot _ count <<<"$(libvirt_guest_heartbeat "$LAB_ROOT/guest1.serial")"
  logins=$(grep -c 'Accepted publickey for libvirtadmin' "$LAB_ROOT/seapath/nodes/$dst/sshd.log" || true)
  crm_ resource move guest1 "$dst"
  wait_until 120 "guest1 to run on $dst" crm_started_on guest1 "$dst"
  crm_ resource clear guest1
  libvirt_wait_guest_beats_after "$LAB_ROOT/guest1.serial" "$boot" "$count" 20
  runs_only_on "$dst" guest1
  [ "$(qemus_of guest1)" -eq 1 ]
  grep -q 'guest1_migrate_from_0' "$(node_dir "$dst")/fs/var/log/pacemaker/pacemaker.log"
  # the source's root logged in to the target's sshd as libvirtadmin
  [ "$(grep -c 'Accepted publickey for libvirtadmin' "$LAB_ROOT/seapath/nodes/$dst/sshd.log")" -gt "$logins" ]
  [ "$(vmm status -n guest1)" = Started ]
}

# migrate_to exactly as pacemaker-execd runs it, with vm_manager's parameters, while the resource
# is unmanaged: what the agent does when ssh fails, without Pacemaker's recovery afterwards.
agent_migrate_to() {
  OCF_INSTANCE=guest1 OCF_TIMEOUT_MS=60000 ocf_agent "$1" VirtualDomain migrate_to \
    config=/etc/pacemaker/guest1.xml hypervisor=qemu:///system seapath=true force_stop=false \
    migration_transport=ssh migration_user=libvirtadmin migration_downtime=0 \
    CRM_meta_migrate_source="$1" CRM_meta_migrate_target="$2"
}
# After a failed migration: still running on the source only, same boot, counter going on.
guest_stayed_on() {
  runs_only_on "$1" guest1
  [ "$(qemus_of guest1)" -eq 1 ]
  libvirt_wait_guest_beats_after "$LAB_ROOT/guest1.serial" "$2" "$3" 20
}

@test "ssh failures (host key, authentication, sshd down): migrate_to fails with the peer and the cause; the guest stays on the source" {
  src=$(crm_where_is guest1)
  dst=$(other_node "$src")
  crm_ resource unmanage guest1
  read -r boot _ count <<<"$(libvirt_guest_heartbeat "$LAB_ROOT/guest1.serial")"
  keys=$LAB_ROOT/seapath/nodes/$src/root-ssh/known_hosts
  cp "$keys" "$BATS_TEST_TMPDIR/known_hosts"

  # 1. the target presents a host key the source does not know (its entry names another key)
  other_key=$(cut -d' ' -f2- "$LAB_ROOT/seapath/nodes/node3/etc-upper/ssh/ssh_host_ed25519_key.pub")
  [ "$dst" != node3 ]
  in_node "$src" sed -i "/^$dst,/c\\$dst,192.0.2.1${dst#node} $other_key" /root/.ssh/known_hosts
  run agent_migrate_to "$src" "$dst"
  [ "$status" -eq 1 ]
  reason=$(ocf_exit_reason)
  local unknown_key="ssh to libvirtadmin@$dst failed: $dst's host key is not"
  [[ $reason == *"guest1 to $dst failed: $unknown_key"*"in root's known_hosts"*"(Host key verification failed)"* ]]
  guest_stayed_on "$src" "$boot" "$count"
  in_node "$src" cp "$BATS_TEST_TMPDIR/known_hosts" /root/.ssh/known_hosts

  # 2. libvirtadmin on the target no longer accepts the source's key
  auth=/etc/ssh/authorized_keys/libvirtadmin
  in_node "$dst" cp "$auth" "$BATS_TEST_TMPDIR/authorized_keys"
  in_node "$dst" sed -i "/root@$src\$/d" "$auth"
  run agent_migrate_to "$src" "$dst"
  [ "$status" -eq 1 ]
  reason=$(ocf_exit_reason)
  [[ $reason == *"ssh to libvirtadmin@$dst failed: $dst refused root's key (Permission denied (publickey))"* ]]
  guest_stayed_on "$src" "$boot" "$count"
  in_node "$dst" cp "$BATS_TEST_TMPDIR/authorized_keys" "$auth"

  # 3. no sshd on the target
  stop_sshd "$dst"
  SECONDS=0
  run agent_migrate_to "$src" "$dst"
  [ "$status" -eq 1 ]
  [ "$SECONDS" -lt 60 ] # within the operation's timeout (60 s here)
  reason=$(ocf_exit_reason)
  [[ $reason == *"ssh to libvirtadmin@$dst failed: Connection refused (is sshd running on $dst?)"* ]]
  guest_stayed_on "$src" "$boot" "$count"

  # with sshd back and the trust intact, Pacemaker migrates it live again
  "$LAB" sshd "$dst"
  crm_ resource manage guest1
  wait_until 30 "guest1 managed on $src" crm_started_on guest1 "$src"
  crm_ resource move guest1 "$dst"
  wait_until 120 "guest1 to run on $dst" crm_started_on guest1 "$dst"
  crm_ resource clear guest1
  runs_only_on "$dst" guest1
  libvirt_wait_guest_beats_after "$LAB_ROOT/guest1.serial" "$boot" "$count" 20
}

@test "vm_manager create_snapshot, list_snapshots and rollback" {
  vmm create_snapshot -n guest1 --snap_name snap1
  run vmm list_snapshots -n guest1
  [[ $output == *snap1* ]]
  run ceph_rbd snap ls rbd/system_guest1
  [[ $output == *snap1* ]]
  vmm stop -n guest1
  defined_nowhere guest1
  : >"$LAB_ROOT/guest1.serial"
  # the disk changes after the snapshot (no QEMU holds it now)
  in_node node1 qemu-io -f raw -c 'write -q -P 0x5a 1M 64k' rbd:rbd/system_guest1
  disk_marker_is system_guest1 0x5a
  vmm rollback -n guest1 --snap_name snap1
  disk_marker_is system_guest1 0xa5
  # rollback re-enabled it (a new primitive, as vm_manager's enable creates it) and it runs
  wait_until 120 "guest1 to start" crm_started_anywhere guest1
  [ "$(param_of guest1 migration_user)" = libvirtadmin ]
  runs_only_on "$(crm_where_is guest1)" guest1
  libvirt_wait_guest_up "$LAB_ROOT/guest1.serial" 60
}

@test "vm_manager clone copies the disk into a second VM that runs beside the first" {
  vmm clone -n guest1 --dst_name guest2 --xml "$LAB_ROOT/guest2.xml"
  wait_until 120 "guest2 to start" crm_started_anywhere guest2
  runs_only_on "$(crm_where_is guest2)" guest2
  [ "$(qemus_of guest2)" -eq 1 ]
  [ "$(qemus_of guest1)" -eq 1 ]
  run ceph_rbd group image list rbd/guest2
  [[ $output == *"rbd/system_guest2"* ]]
  disk_marker_is system_guest2 0xa5
  u1=$(ceph_rbd image-meta get rbd/system_guest1 xml | xmllint --xpath 'string(/domain/uuid)' -)
  u2=$(ceph_rbd image-meta get rbd/system_guest2 xml | xmllint --xpath 'string(/domain/uuid)' -)
  [ -n "$u2" ]
  [ "$u1" != "$u2" ]
  [ "$(param_of guest2 seapath)" = true ]
  libvirt_wait_guest_up "$LAB_ROOT/guest2.serial" 60
}

@test "vm_manager disable and remove: the resource, the domain and then the images are gone" {
  vmm disable -n guest2
  not in_cib guest2
  defined_nowhere guest2
  [ "$(qemus_of guest2)" -eq 0 ]
  [ "$(vmm status -n guest2)" = Disabled ]
  ceph_rbd info rbd/system_guest2 >/dev/null # disabled, not removed
  vmm remove -n guest2
  [ "$(vmm status -n guest2)" = Undefined ]
  not ceph_rbd info rbd/system_guest2
  # a running VM: vm_manager force-deletes the resource and Pacemaker stops it
  on=$(crm_where_is guest1)
  vmm remove -n guest1
  not in_cib guest1
  wait_until 60 "guest1's QEMU to exit" no_qemu_of guest1
  defined_nowhere guest1
  [ "$(vmm status -n guest1)" = Undefined ]
  not ceph_rbd info rbd/system_guest1
  [ -n "$on" ]
}

# Nothing of VM anywhere: no resource, no libvirt domain, no cached XML on any node, no image.
nothing_of() {
  local n
  ! in_cib "$1" || return 1
  for n in "${NODES[@]}"; do
    [[ $(domstate "$n" "$1") == absent ]] || return 1
    ! in_node "$n" test -e "/etc/pacemaker/$1.xml" || return 1
  done
  ! ceph_rbd info "rbd/system_$1" >/dev/null 2>&1 || return 1
  ! ceph_rbd group list | grep -qx "$1"
}

@test "bad input: a name vm_manager refuses, an XML that does not parse: vm_manager's own error, nothing half-configured" {
  run vmm create -n bad_name --xml "$LAB_ROOT/guest1.xml" -i "$LAB_ROOT/guest.qcow2"
  [ "$status" -ne 0 ]
  [[ $output == *"ValueError: Parameter must not contain spaces or special chars"* ]]
  nothing_of bad_name
  run vmm create -n broken --xml "$LAB_ROOT/broken.xml" -i "$LAB_ROOT/guest.qcow2"
  [ "$status" -ne 0 ]
  [[ $output == *"ParseError"* ]]
  nothing_of broken
  [ "$(vmm status -n broken)" = Undefined ]
}

# SEAPATH's own checks of its Pacemaker helper, run from vm_manager's source tree as its developers
# run them (pip does not install testdata/): resource vm1 from testdata/vm.xml, whose domain is test0.
seapath_check() {
  in_cluster node1 env PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PYTHONPATH="$LAB_ROOT/seapath/src" \
    /usr/bin/python3 "$LAB_ROOT/seapath/src/vm_manager/helpers/tests/pacemaker/$1.py"
}

@test "SEAPATH's checks add_vm, stop_vm, start_vm, remove_vm pass: resource vm1 runs domain test0" {
  run seapath_check add_vm
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  [[ $output == *"Resource list: ['vm1']"* ]]
  on=$(crm_where_is vm1)
  runs_only_on "$on" test0
  [ "$(param_of vm1 seapath)" = false ]
  run seapath_check stop_vm
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  [[ $output == *"VM vm1 stopped"* ]]
  defined_nowhere test0
  run seapath_check start_vm
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  [[ $output == *"VM vm1 started"* ]]
  runs_only_on "$(crm_where_is vm1)" test0
  run seapath_check remove_vm
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  not in_cib vm1
  wait_until 60 "test0's QEMU to exit" no_qemu_of test0
  defined_nowhere test0
}

@test "crm ra info shows every agent: ocf:seapath:vm, VirtualDomain, ping, vip and stonith:fence_outscale" {
  for agent in ocf:seapath:vm ocf:seapath:VirtualDomain ocf:seapath:ping ocf:seapath:vip stonith:fence_outscale; do
    run crm_ ra info "$agent"
    [ "$status" -eq 0 ] || { echo "$agent: $output"; false; }
    [[ $output == *"($agent)"* || $output == *"$agent"* ]]
    case $agent in
      ocf:seapath:vm | ocf:seapath:VirtualDomain) [[ $output == *"migration_user"* && $output == *"migrate_to"* ]] ;;
      ocf:seapath:ping) [[ $output == *"host_list"* ]] ;;
      ocf:seapath:vip) [[ $output == *"cidr_netmask"* ]] ;;
      stonith:fence_outscale) [[ $output == *"access_key"* && $output == *"secret_key_file"* ]] ;;
    esac
  done
}
