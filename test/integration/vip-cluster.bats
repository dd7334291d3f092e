#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# ocf:seapath:vip through Pacemaker's own tools and a real one-node cluster in a namespace.

setup_file() {
  load helpers/cluster
  node_setup vip
  node_create c1 192.0.2.11/24
  node_peer c1 peer 192.0.2.99/24
  cluster_start c1
}

teardown_file() {
  load helpers/cluster
  cluster_stop c1 || true
  node_teardown
}

setup() {
  load helpers/cluster
}

@test "pcs resource describe shows the agent and its parameters" {
  run in_cluster c1 pcs resource describe ocf:seapath:vip
  [ "$status" -eq 0 ]
  for p in ip cidr_netmask broadcast nic iflabel arp_count arp_interval arp_count_refresh preferred_lft check_link_status check_duplicate; do
    [[ $output == *"$p"* ]] || { echo "missing $p"; false; }
  done
  [[ $output == *"Floating IPv4 or IPv6 address"* ]]
}

@test "crm_resource --validate answers 0 for good parameters and 6 with the reason for bad ones" {
  run in_cluster c1 crm_resource --validate --class ocf --provider seapath --agent vip --option ip=192.0.2.20 --option cidr_netmask=24
  [ "$status" -eq 0 ]
  run in_cluster c1 crm_resource --validate --class ocf --provider seapath --agent vip --option ip=192.0.2.300
  [ "$status" -eq 6 ]
  [[ $output == *"ip '192.0.2.300' is not a valid IPv4 or IPv6 address"* ]]
}

@test "crm_resource --force-start, --force-check and --force-stop give the expected codes" {
  in_cluster c1 pcs resource create fvip ocf:seapath:vip ip=192.0.2.21 cidr_netmask=24 nic=eth0 --disabled
  run in_cluster c1 crm_resource --force-check -r fvip
  [ "$status" -eq 7 ]
  run in_cluster c1 crm_resource --force-start -r fvip
  [ "$status" -eq 0 ]
  in_node c1 ip -o address show dev eth0 | grep -q ' 192.0.2.21/24 '
  run in_cluster c1 crm_resource --force-check -r fvip
  [ "$status" -eq 0 ]
  run in_cluster c1 crm_resource --force-stop -r fvip
  [ "$status" -eq 0 ]
  ! in_node c1 ip -o address show dev eth0 | grep -q ' 192.0.2.21/24 '
  in_cluster c1 pcs resource delete fvip
}

@test "the cluster starts, monitors and stops a vip resource, and a peer reaches it meanwhile" {
  in_cluster c1 pcs resource create cvip ocf:seapath:vip ip=192.0.2.22 cidr_netmask=24 op monitor interval=2s
  cluster_wait_resource c1 cvip Started 30
  in_node peer ping -c 1 -W 2 192.0.2.22
  # Remove the address behind the cluster's back: the monitor notices and Pacemaker recovers it.
  in_node c1 ip address del 192.0.2.22/24 dev eth0
  wait_until 30 "Pacemaker to put 192.0.2.22 back" bash -c "ip -n $(node_netns c1) -o address show dev eth0 | grep -q ' 192.0.2.22/24 '"
  run in_cluster c1 crm_mon -1 --output-as=xml
  grep -q '<failure op_key="cvip_monitor_2000" .*exitcode="7"' <<<"$output"
  in_cluster c1 pcs resource disable cvip
  cluster_wait_resource c1 cvip Stopped 30
  ! in_node c1 ip -o address show dev eth0 | grep -q ' 192.0.2.22/24 '
  in_cluster c1 pcs resource delete cvip
}
