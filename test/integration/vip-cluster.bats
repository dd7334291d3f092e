#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# integration-lane: side
# ocf:seapath:vip through Pacemaker's own tools and a real one-node cluster in a namespace.

setup_file() {
  load ../../lab/lib/cluster
  node_setup vip
  node_create c1 192.0.2.11/24
  node_peer c1 peer 192.0.2.99/24
  # A second network whose switch port of c1 can be cut, away from corosync's eth0.
  segment_create ext
  node_attach c1 ext eth1 198.51.100.1/24
  node_create peer2
  node_attach peer2 ext eth0 198.51.100.99/24
  cluster_start c1
}

teardown_file() {
  load ../../lab/lib/cluster
  cluster_teardown c1
}

setup() {
  load ../../lab/lib/cluster
}

clone_start_failed() {
  in_cluster c1 crm_mon -1 --output-as=xml | grep -q '<failure op_key="clvip_start_0" .*exitcode="6"'
}

@test "pcs resource describe shows the agent and its parameters" {
  run in_cluster c1 pcs resource describe ocf:seapath:vip
  [ "$status" -eq 0 ]
  for p in ip cidr_netmask broadcast nic iflabel arp_count arp_interval arp_count_refresh preferred_lft check_link_status check_duplicate \
    netmask run_arping nodad noprefixroute flush_routes arp_bg arp_sender send_arp_opts lvs_support lvs_ipv6_addrlabel \
    lvs_ipv6_addrlabel_value network_namespace unique_clone_address clusterip_hash mac; do
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
  ! in_node c1 ip -o address show dev eth0 | grep -q ' 192.0.2.21/24 ' || false
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
  ! in_node c1 ip -o address show dev eth0 | grep -q ' 192.0.2.22/24 ' || false
  in_cluster c1 pcs resource delete cvip
}

@test "a switch outage does not ban the address: link down, then up, and it serves again with no admin action" {
  in_cluster c1 pcs resource create lvip ocf:seapath:vip ip=198.51.100.10 cidr_netmask=24 nic=eth1 op monitor interval=2s
  cluster_wait_resource c1 lvip Started 30
  in_node peer2 ping -c 1 -W 2 198.51.100.10
  ip -n "$(_segment_netns ext)" link set p1 down # c1's port on the switch
  wait_until 5 "eth1 to lose its carrier" bash -c "[ \"\$(ip netns exec $(node_netns c1) cat /sys/class/net/eth1/carrier)\" = 0 ]"
  sleep 8 # four monitors with the link down
  ip -n "$(_segment_netns ext)" link set p1 up
  wait_until 20 "peer2 to reach 198.51.100.10 again" in_node peer2 ping -c 1 -W 1 198.51.100.10
  cluster_wait_resource c1 lvip Started 5
  run in_cluster c1 crm_mon -1 --output-as=xml
  [ "$status" -eq 0 ]
  [[ $output != *'<failure op_key="lvip_'* ]]
  in_cluster c1 pcs resource delete lvip
}

@test "a cloned vip is refused with 6, not added on every node" {
  in_cluster c1 pcs resource create clvip ocf:seapath:vip ip=198.51.100.20 cidr_netmask=24 nic=eth1 clone
  wait_until 30 "the start of clvip to fail with 6" clone_start_failed
  ! in_node c1 ip -o address show dev eth1 | grep -q 198.51.100.20 || false
  run in_cluster c1 crm_mon -1 --output-as=xml
  [[ $output == *"is cloned"* ]]
  in_cluster c1 pcs resource delete clvip
}
