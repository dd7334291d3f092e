#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# A VM defined the way SEAPATH's vm_manager defines it (crmsh, ocf:seapath:VirtualDomain,
# seapath=true, XML in rbd/system_<vm>) runs in a real one-node Pacemaker cluster (node a,
# with its libvirtd; Ceph in node ceph).

setup_file() {
  load vm-helpers
  load ../../lab/lib/cluster
  vm_lab_up a
  # vm_manager keeps the XML cache in /etc/pacemaker: the node's own, not the host's
  mkdir -p "$VM_DIR/node-a-etc-pacemaker"
  in_node a mount --bind "$VM_DIR/node-a-etc-pacemaker" /etc/pacemaker
  cluster_start a
  vm_image vmc1
}

teardown_file() {
  load vm-helpers
  load ../../lab/lib/cluster
  cluster_stop a || true
  vm_lab_down a
}

setup() {
  load vm-helpers
  load ../../lab/lib/cluster
}

@test "crm configure primitive ... ocf:seapath:VirtualDomain, as vm_manager runs it, starts the VM" {
  # vm_manager/helpers/pacemaker.py add_vm(), with its defaults (live migration off, 30 s stop)
  in_cluster a crm configure primitive vmc1 ocf:seapath:VirtualDomain \
    params force_stop=false migration_downtime=0 config=/etc/pacemaker/vmc1.xml \
    hypervisor=qemu:///system seapath=true migration_transport=ssh migration_user=root \
    meta allow-migrate=false is-managed=false priority=0 target-role=Started \
    op start timeout=120 op stop timeout=30 op migrate_from timeout=60 \
    op migrate_to timeout=120 op monitor timeout=60 interval=10
  in_cluster a crm resource manage vmc1
  cluster_wait_resource a vmc1 Started 60
  [ "$(vm_state a vmc1)" = running ]
  # start fetched the XML from RBD into the path vm_manager gave
  diff <(ceph_rbd image-meta get rbd/system_vmc1 xml) "$VM_DIR/node-a-etc-pacemaker/vmc1.xml"
  # vm_manager finds its VMs with the regex .*ocf::?seapath:VirtualDomain.* on `crm resource status`
  run in_cluster a crm resource status
  echo "$output"
  grep -Eq '.*vmc1.*ocf::?seapath:VirtualDomain.*|.*ocf::?seapath:VirtualDomain.*vmc1.*' <<<"$output"
}

@test "changing migration and guard parameters reloads the agent (OCF 1.1 reload-agent): the running VM keeps its QEMU" {
  vm_needs a vmc1
  local pid p reloads
  pid=$(libvirt_domain_pid a vmc1)
  reloads=$(_reloads)
  in_cluster a crm_resource --resource vmc1 --set-parameter migration_transport --parameter-value tcp
  in_cluster a crm_resource --resource vmc1 --set-parameter migration_user --parameter-value virt_user
  in_cluster a crm_resource --resource vmc1 --set-parameter migrate_options --parameter-value "--p2p --auto-converge"
  in_cluster a crm_resource --resource vmc1 --set-parameter check_image_in_use --parameter-value false
  wait_until 30 "a reload-agent of vmc1" _reloaded_since "$reloads" || { cluster_logs a 60; false; }
  cluster_wait_resource a vmc1 Started 30
  [ "$(libvirt_domain_pid a vmc1)" = "$pid" ]
  reloads=$(_reloads)
  for p in migration_transport migration_user migrate_options check_image_in_use; do
    in_cluster a crm_resource --resource vmc1 --delete-parameter "$p"
  done
  wait_until 30 "a reload-agent of vmc1 after the deletions" _reloaded_since "$reloads" || { cluster_logs a 60; false; }
  cluster_wait_resource a vmc1 Started 30
  [ "$(libvirt_domain_pid a vmc1)" = "$pid" ]
  run _stops
  [ "$output" = 0 ]
}

# the controller logs "Result of reload-agent operation for vmc1 on a: ok" (and of stop, had it restarted)
_pacemaker_log() { echo "$(node_dir a)/fs/var/log/pacemaker/pacemaker.log"; }
_reloads() { grep -c 'Result of reload-agent operation for vmc1 on a: ok' "$(_pacemaker_log)" || true; } # 0 is a count
_reloaded_since() { (($(_reloads) > $1)); }
_stops() { grep -c 'Result of stop operation for vmc1 on a' "$(_pacemaker_log)" || true; }

@test "a VM killed behind the cluster's back is found by the monitor and started again" {
  vm_needs a vmc1
  local pid
  pid=$(libvirt_domain_pid a vmc1)
  libvirt_virsh a destroy vmc1
  wait_until 40 "vmc1 to be restarted by Pacemaker" _restarted "$pid"
  cluster_wait_resource a vmc1 Started 30
  run in_cluster a crm_mon -1 --include=failures --output-as=xml
  grep -q '<failure op_key="vmc1_monitor_10000" .*exitcode="7"' <<<"$output"
}

@test "crm resource stop stops the VM and leaves no definition; start runs it again" {
  vm_needs a vmc1
  # a booted guest powers off on ACPI: stop is graceful (a guest still booting would be destroyed)
  wait_until 60 "vmc1's guest to be up" _guest_up_not ""
  local boot
  boot=$(libvirt_guest_heartbeat "$VM_DIR/vmc1.serial" | cut -d' ' -f1)
  in_cluster a crm resource stop vmc1
  cluster_wait_resource a vmc1 Stopped 60
  [ "$(vm_state a vmc1)" = absent ]
  in_cluster a crm resource start vmc1
  cluster_wait_resource a vmc1 Started 60
  [ "$(vm_state a vmc1)" = running ]
  wait_until 60 "vmc1's guest to boot again" _guest_up_not "$boot"
  in_cluster a crm resource stop vmc1
  cluster_wait_resource a vmc1 Stopped 60
}

# the guest's last heartbeat is of a boot other than $1, up for 2 s (its ACPI button is ready)
@test "autoset_utilization_* (on by default, as VirtualDomain) copy the domain size into utilization at start; unset_* deletes it" {
  local boot
  boot=$(libvirt_guest_heartbeat "$VM_DIR/vmc1.serial" | cut -d' ' -f1)
  in_cluster a crm resource start vmc1
  cluster_wait_resource a vmc1 Started 60
  wait_until 20 "utilization cpu=1" _utilization_is cpu 1
  _utilization_is hv_memory 96
  _utilization_is host_memory 96
  wait_until 60 "vmc1's guest to boot" _guest_up_not "$boot"
  in_cluster a crm resource stop vmc1
  cluster_wait_resource a vmc1 Stopped 60
  in_cluster a crm resource param vmc1 set autoset_utilization_cpu false
  in_cluster a crm resource param vmc1 set unset_utilization_cpu true
  boot=$(libvirt_guest_heartbeat "$VM_DIR/vmc1.serial" | cut -d' ' -f1)
  in_cluster a crm resource start vmc1
  cluster_wait_resource a vmc1 Started 60
  wait_until 20 "utilization cpu deleted" _utilization_is cpu ""
  _utilization_is hv_memory 96
  wait_until 60 "vmc1's guest to boot" _guest_up_not "$boot"
  in_cluster a crm resource stop vmc1
  cluster_wait_resource a vmc1 Stopped 60
}

_utilization_is() { [ "$(in_cluster a crm_resource --resource vmc1 --utilization --get-parameter "$1" 2>/dev/null)" = "$2" ]; }

_guest_up_not() {
  local hb
  hb=$(libvirt_guest_heartbeat "$VM_DIR/vmc1.serial") || return 1
  # shellcheck disable=SC2086 # one word each
  set -- "$1" $hb
  [ "$2" != "$1" ] && [ "${3%.*}" -ge 2 ]
}

_restarted() {
  local now
  now=$(libvirt_domain_pid a vmc1) || return 1
  [ "$now" != "$1" ]
}
