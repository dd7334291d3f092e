#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The systemd ordering ocf:seapath:vm relies on, as ocf:heartbeat:VirtualDomain sets it up: the
# package installs drop-ins for resource-agents-deps.target, which pacemaker.service starts after,
# so that a host shutdown stops Pacemaker (migrating VMs) before libvirtd and the guests' machines.

bats_require_minimum_version 1.5.0

setup() {
  ROOT=$BATS_TEST_DIRNAME/../..
  DEST=$BATS_TEST_TMPDIR/dest
  cd "$ROOT" || return 1
  packaging/install.sh dist/seapath-agents "$DEST" >/dev/null
  UNITS=$DEST/usr/lib/systemd/system
}

@test "install puts the libvirt and machine-shutdown drop-ins of resource-agents-deps.target under DESTDIR" {
  run systemd-analyze --root="$DEST" cat-config systemd/system/resource-agents-deps.target.d/seapath-vm-libvirt.conf
  [ "$status" -eq 0 ]
  [[ $output == *$'\nAfter=libvirtd.service virtqemud.service'* ]]
  run systemd-analyze --root="$DEST" cat-config systemd/system/resource-agents-deps.target.d/seapath-vm-machines.conf
  [ "$status" -eq 0 ]
  [[ $output == *$'\nWants=virt-guest-shutdown.target'* ]]
}

@test "systemd reads the drop-ins without a warning, and pacemaker.service is ordered after their target" {
  run --separate-stderr env SYSTEMD_UNIT_PATH="$UNITS:/lib/systemd/system" systemd-analyze verify resource-agents-deps.target
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ -z "$stderr" ]
  grep -qx 'After=resource-agents-deps.target' /lib/systemd/system/pacemaker.service
  grep -qx 'Wants=resource-agents-deps.target' /lib/systemd/system/pacemaker.service
}
