# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# lab.sh deploy [seapath|stock] crm: the demo's resources created with crmsh, SEAPATH's admin tool
# (it installs no pcs). The same objects and ids as the pcs path: ping + ping-clone, vm1, vip, vm1
# kept off nodes without connectivity, vip colocated with and ordered after vm1. One
# `crm configure load update` commits them in one CIB transaction, so vm1 never runs before its
# pingd rule exists. Needs from lab.sh: LAB_ROOT, LAB_ADDR, in_cluster, die.

# lab_resources_crm PING_AGENT PING_HOSTS VM_AGENT VIP_AGENT VM_PARAM...
lab_resources_crm() {
  local ping_agent=$1 ping_hosts=$2 vm_agent=$3 vip_agent=$4 cib=$LAB_ROOT/deploy.crm
  local vm_ops="op start timeout=90s interval=0s op stop timeout=60s interval=0s op monitor interval=5s timeout=30s"
  vm_ops+=" op migrate_to timeout=120s interval=0s op migrate_from timeout=60s interval=0s"
  shift 4
  cat >"$cib" <<EOF
rsc_defaults rsc-options: resource-stickiness=100
primitive ping $ping_agent params host_list="$ping_hosts" multiplier=1000 dampen=2s op monitor interval=3s timeout=20s
clone ping-clone ping
primitive vm1 $vm_agent params $* $vm_ops meta allow-migrate=true
primitive vip $vip_agent params ip=192.0.2.50 cidr_netmask=24 op monitor interval=5s
location location-vm1 vm1 rule -inf: pingd lt 1 or not_defined pingd
colocation colocation-vip-vm1-INFINITY inf: vip vm1
order order-vm1-vip-mandatory Mandatory: vm1 vip
EOF
  in_cluster node1 crm configure load update "$cib" >"$LAB_ROOT/deploy.crm.out" 2>&1 ||
    die "crm configure load update: $(tail -3 "$LAB_ROOT/deploy.crm.out")"
}
