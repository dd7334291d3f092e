#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Self-test of the VM test infrastructure (lab/lib/ceph.bash, lab/lib/libvirt.bash, lab/guest):
# a one-mon one-OSD Ceph in node "ceph", libvirtd in nodes "a" and "b" (node.bash namespaces on
# one L2 segment, 198.51.100.0/24), a SEAPATH-style system image rbd/system_vm1 whose metadata
# `xml` holds the domain, a booted busybox guest live-migrated from a to b.
# Timings go to the TAP output as "# timing: ...".

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
CEPH_IP=198.51.100.10
A_IP=198.51.100.11
B_IP=198.51.100.12

_load() {
  load ../../lab/lib/node
  load ../../lab/lib/ceph
  load ../../lab/lib/libvirt
  export LIBVIRT_BASE=$BATS_FILE_TMPDIR/lv
}

_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
_timing() { echo "# timing: $*" >&3; }
_gone() { ! proc_alive "$1"; }

setup_file() {
  _load
  node_setup vi
  "$REPO/lab/guest/build.sh" >/dev/null
  node_create ceph "$CEPH_IP/24"
  node_peer ceph a "$A_IP/24"
  node_peer ceph b "$B_IP/24"
  export CEPH_DIR_T=$BATS_FILE_TMPDIR/ceph
  local t
  t=$(_ms)
  CEPH_HELPER_QUIET=1 CEPH_EXEC="in_node ceph" ceph_start "$CEPH_DIR_T" "$CEPH_IP"
  _timing "ceph_start $(($(_ms) - t)) ms"
  ceph_use "$CEPH_DIR_T"
  t=$(_ms)
  LIBVIRT_HELPER_QUIET=1 LIBVIRT_EXEC="in_node a" libvirt_start a "$A_IP"
  _timing "libvirt_start a $(($(_ms) - t)) ms"
  t=$(_ms)
  LIBVIRT_HELPER_QUIET=1 LIBVIRT_EXEC="in_node b" libvirt_start b "$B_IP"
  _timing "libvirt_start b $(($(_ms) - t)) ms"
  export SERIAL=$BATS_FILE_TMPDIR/vm1.serial
}

teardown_file() {
  _load
  libvirt_stop a
  libvirt_stop b
  libvirt_stop h
  ceph_stop "$CEPH_DIR_T"
  ceph_stop "$BATS_FILE_TMPDIR/ceph-lo"
  node_teardown
}

setup() {
  _load
  ceph_use "$CEPH_DIR_T"
}

@test "ceph: pool rbd answers for client.admin and client.libvirt" {
  run ceph_rbd ls rbd
  [ "$status" -eq 0 ]
  run ceph_rbd --id libvirt ls rbd
  [ "$status" -eq 0 ]
  # the cluster lives under its dir, not in the host's /etc/ceph
  [ ! -e /etc/ceph/ceph.conf ]
  grep -q "mon host = \[v2:$CEPH_IP:3300,v1:$CEPH_IP:6789\]" "$CEPH_DIR_T/etc/ceph.conf"
}

@test "system image: rbd/system_vm1 carries the domain XML in image-meta xml" {
  libvirt_domain_xml vm1 --serial "$SERIAL" >"$BATS_FILE_TMPDIR/vm1.xml"
  ceph_system_image "$CEPH_DIR_T" vm1 "$BATS_FILE_TMPDIR/vm1.xml"
  run ceph_rbd image-meta get rbd/system_vm1 xml
  [ "$status" -eq 0 ]
  [ "$output" = "$(cat "$BATS_FILE_TMPDIR/vm1.xml")" ]
  run ceph_rbd image-meta get rbd/system_vm1 vm_name
  [ "$output" = vm1 ]
}

@test "ceph_mount_etc: plain rbd inside node a finds the cluster, host /etc/ceph untouched" {
  ceph_mount_etc "$CEPH_DIR_T" in_node a
  run in_node a env -u CEPH_CONF rbd --id libvirt ls rbd
  [ "$status" -eq 0 ]
  [[ $output == *system_vm1* ]]
  [ ! -e /etc/ceph/ceph.conf ]
  run ceph_mount_etc "$CEPH_DIR_T"
  [ "$status" -ne 0 ]
}

@test "libvirt nodes: both have the same Ceph secret and see each other over TCP" {
  run libvirt_virsh a secret-list
  [[ $output == *"$LIBVIRT_CEPH_SECRET_UUID"*"client.libvirt secret"* ]]
  run libvirt_virsh b secret-list
  [[ $output == *"$LIBVIRT_CEPH_SECRET_UUID"*"client.libvirt secret"* ]]
  # inside node a, plain virsh reaches node a's daemon as qemu:///system, and b over TCP
  run in_node a virsh -q -c qemu:///system uri
  [ "$output" = qemu:///system ]
  run in_node a virsh -q -c "qemu+tcp://$B_IP/system" hostname
  [ "$output" = b ]
}

@test "domain defined from the RBD XML starts on node a and the guest boots" {
  in_node ceph rbd image-meta get rbd/system_vm1 xml >"$BATS_FILE_TMPDIR/vm1.from-rbd.xml"
  libvirt_virsh a define "$BATS_FILE_TMPDIR/vm1.from-rbd.xml"
  local t
  t=$(_ms)
  libvirt_virsh a start vm1
  _timing "virsh start (RBD disk, TCG) $(($(_ms) - t)) ms"
  libvirt_wait_guest_up "$SERIAL" 60
  _timing "virsh start -> guest wrote its disk $(($(_ms) - t)) ms"
  [ "$(libvirt_virsh a domstate vm1)" = running ]
  run ceph_watchers "$CEPH_DIR_T" rbd/system_vm1
  [[ $output == "watcher=$A_IP:0/"* ]]
  run ceph_rbd lock ls rbd/system_vm1
  [[ $output == *"auto "*"$A_IP:0/"* ]]
}

@test "live migration a -> b: runs on b, watcher moves, the guest kept running" {
  local src_qemu before boot n t
  src_qemu=$(libvirt_domain_pid a vm1)
  [ -n "$src_qemu" ]
  before=$(libvirt_guest_heartbeat "$SERIAL")
  boot=${before%% *}
  t=$(_ms)
  in_node a virsh -q migrate --live --persistent --undefinesource vm1 "qemu+tcp://$B_IP/system"
  _timing "virsh migrate --live $(($(_ms) - t)) ms"
  [ "$(libvirt_virsh b domstate vm1)" = running ]
  run libvirt_virsh a domstate vm1
  [ "$status" -ne 0 ]
  # the source QEMU is gone, so every heartbeat from now on comes from b's QEMU
  wait_until 10 "source QEMU $src_qemu to exit" _gone "$src_qemu"
  n=$(libvirt_guest_heartbeat "$SERIAL" | cut -d' ' -f3)
  libvirt_wait_guest_beats_after "$SERIAL" "$boot" "$((n + 1))" 20
  run libvirt_guest_heartbeat "$SERIAL"
  echo "before: $before; after: $output" >&3
  [ "${output%% *}" = "$boot" ]
  run ceph_watchers "$CEPH_DIR_T" rbd/system_vm1
  [[ $output == "watcher=$B_IP:0/"* ]]
  [ "$(echo "$output" | wc -l)" -eq 1 ]
}

@test "destroy on b releases the watcher and the lock" {
  libvirt_virsh b destroy vm1
  ceph_unwatched "$CEPH_DIR_T" rbd/system_vm1
  run ceph_rbd lock ls rbd/system_vm1
  [ "$status" -eq 0 ]
  [[ $output != *auto* ]]
}

@test "ceph_pause hangs Ceph clients until ceph_resume" {
  ceph_pause "$CEPH_DIR_T"
  run in_node a timeout 3 rbd ls rbd
  ceph_resume "$CEPH_DIR_T"
  [ "$status" -eq 124 ]
  run in_node a timeout 10 rbd ls rbd
  [ "$status" -eq 0 ]
  [[ $output == *system_vm1* ]]
}

@test "libvirt_kill leaves the guest running; libvirt_start reattaches; libvirt_stop kills orphans" {
  libvirt_virsh b start vm1
  local q
  q=$(_libvirt_qemu_pids b)
  [ -n "$q" ]
  libvirt_kill b
  run libvirt_virsh b list
  [ "$status" -ne 0 ]
  proc_alive "$q"
  # started by a function whose output a caller reads (as the soak's libvirtd fault is): nothing
  # left running holds that output, so the caller sees its end while libvirtd runs
  _start_b() { LIBVIRT_HELPER_QUIET=1 LIBVIRT_EXEC="in_node b" libvirt_start b "$B_IP" >/dev/null 2>&1; }
  _start_b > >(cat >/dev/null; touch "$BATS_TEST_TMPDIR/output-ended")
  wait_until 10 "the end of the caller's output" test -e "$BATS_TEST_TMPDIR/output-ended"
  libvirt_wait_domstate b vm1 running 10
  [ "$(libvirt_domain_pid b vm1)" = "$q" ]
  # a libvirtd that died for good: libvirt_stop still finds and kills its QEMU
  libvirt_kill b
  libvirt_stop b
  _gone "$q"
}

@test "host mode: libvirtd in its own mount namespace, Ceph on loopback, no-OS domain" {
  local cdir=$BATS_FILE_TMPDIR/ceph-lo t
  (
    unset CEPH_EXEC CEPH_ADDR
    CEPH_HELPER_QUIET=1 ceph_start "$cdir"
  )
  ceph_use "$cdir"
  [[ $CEPH_ADDR == 127.* ]]
  t=$(_ms)
  LIBVIRT_HELPER_QUIET=1 LIBVIRT_EXEC="" libvirt_start h
  _timing "libvirt_start (host mode) $(($(_ms) - t)) ms"
  # the host's own libvirt paths are untouched
  [ ! -S /run/libvirt/libvirt-sock ] || [ "$(stat -c %i /run/libvirt)" != "$(stat -c %i "$LIBVIRT_BASE/h/run")" ]
  libvirt_domain_xml lo1 --guest noos >"$BATS_FILE_TMPDIR/lo1.xml"
  ceph_system_image "$cdir" lo1 "$BATS_FILE_TMPDIR/lo1.xml"
  libvirt_virsh h define "$BATS_FILE_TMPDIR/lo1.xml"
  libvirt_virsh h start lo1
  [ "$(libvirt_virsh h domstate lo1)" = running ]
  run ceph_watchers "$cdir" rbd/system_lo1
  [[ $output == watcher=* ]]
  libvirt_stop h
  ceph_stop "$cdir"
  run pgrep -f "$cdir|$LIBVIRT_BASE/h"
  [ "$status" -eq 1 ]
}

@test "stopping everything leaves no process, mount or namespace" {
  local t
  t=$(_ms)
  libvirt_stop a
  libvirt_stop b
  _timing "libvirt_stop a+b $(($(_ms) - t)) ms"
  t=$(_ms)
  ceph_stop "$CEPH_DIR_T"
  _timing "ceph_stop $(($(_ms) - t)) ms"
  node_teardown
  run node_leftovers
  [ "$status" -eq 0 ]
  run pgrep -af "$BATS_FILE_TMPDIR"
  echo "left: $output"
  [ "$status" -eq 1 ]
  # no mount namespace anywhere still holds a node's libvirt bind mounts
  local held
  held=$(grep -ls -- "$LIBVIRT_BASE" /proc/[0-9]*/mountinfo 2>/dev/null || true)
  [ -z "$held" ]
  run grep "$BATS_FILE_TMPDIR" /proc/self/mountinfo
  [ "$status" -eq 1 ]
  run ip netns list
  [[ $output != *"vi-$NODE_RUN-"* ]]
}
