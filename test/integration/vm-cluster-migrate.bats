#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Pacemaker itself live-migrates a VM (ocf:seapath:VirtualDomain, allow-migrate=true) in a
# two-node cluster (nodes a and b, each with its libvirtd; Ceph in node ceph): migrate_to,
# migrate_from, then the stop on the source, with the guest running throughout.

setup_file() {
  load vm-helpers
  load ../../lab/lib/cluster
  vm_lab_up a b
  { cat /etc/hosts; printf '%s\n' "${VM_NODE_IP[a]} a" "${VM_NODE_IP[b]} b"; } >"$VM_DIR/hosts"
  local n
  for n in a b; do
    in_node "$n" mount --bind "$VM_DIR/hosts" /etc/hosts
    mkdir -p "$VM_DIR/node-$n-etc-pacemaker"
    in_node "$n" mount --bind "$VM_DIR/node-$n-etc-pacemaker" /etc/pacemaker
  done
  cluster_start_nodes "a b"
  vm_image vmlm
}

teardown_file() {
  load vm-helpers
  load ../../lab/lib/cluster
  cluster_stop a || true
  cluster_stop b || true
  vm_lab_down a b
}

setup() {
  load vm-helpers
  load ../../lab/lib/cluster
}

_where() { # prints the node libvirt runs vmlm on
  local n
  for n in a b; do [ "$(vm_state "$n" vmlm)" != running ] || echo "$n"; done
}

@test "crm resource move live-migrates the VM: migrate_to, migrate_from, no restart of the guest" {
  in_cluster a crm configure primitive vmlm ocf:seapath:VirtualDomain \
    params force_stop=false migration_downtime=0 config=/etc/pacemaker/vmlm.xml \
    hypervisor=qemu:///system seapath=true migration_transport=tcp migration_user=root \
    meta allow-migrate=true \
    op start timeout=120 op stop timeout=30 op migrate_from timeout=60 \
    op migrate_to timeout=120 op monitor timeout=60 interval=10
  cluster_wait_resource a vmlm Started 60
  local from to before boot n
  from=$(_where)
  [ "$from" = a ] || [ "$from" = b ]
  to=$([ "$from" = a ] && echo b || echo a)
  libvirt_wait_guest_up "$VM_DIR/vmlm.serial" 60
  before=$(libvirt_guest_heartbeat "$VM_DIR/vmlm.serial"); boot=${before%% *}

  in_cluster a crm resource move vmlm "$to"
  cluster_wait_resource a vmlm Started 60 "$to"
  [ "$(_where)" = "$to" ]
  [ "$(vm_state "$from" vmlm)" = absent ]
  # Pacemaker migrated (it did not stop and start): the operations on record say so
  run in_cluster "$to" crm_mon -1 --include=operations --output-as=xml
  [[ $output == *'task="migrate_from"'* ]]
  run in_cluster "$from" crm_mon -1 --include=operations --output-as=xml
  [[ $output == *'task="migrate_to"'* ]]
  # the guest did not reboot: same boot, heartbeats go on from the target's QEMU
  n=$(libvirt_guest_heartbeat "$VM_DIR/vmlm.serial" | cut -d' ' -f3)
  libvirt_wait_guest_beats_after "$VM_DIR/vmlm.serial" "$boot" "$((n + 1))" 20
  [[ $(ceph_watchers "$VM_CEPH_DIR" rbd/system_vmlm) == "watcher=${VM_NODE_IP[$to]}:0/"* ]]
  # no failed operation anywhere (the source's stop after the migration was 0)
  run in_cluster a crm_mon -1 --include=failures --output-as=xml
  [ "$status" -eq 0 ]
  [[ $output != *'<failure '* ]]
  in_cluster a crm resource clear vmlm
}
