#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# integration-lane: side
# Drop-in behaviours of issue 12 observed from outside: vip flush_routes in the kernel's route
# cache, and the kit's logging as ocf_log does it, in a real one-node cluster's pacemaker.log.
#
#   c1 192.0.2.11/25 --lan-- rt 192.0.2.1/25 | rt 192.0.2.129/25 --far (MTU 1280)-- far 192.0.2.130/25

bats_require_minimum_version 1.5.0

setup_file() {
  load ../../lab/lib/cluster
  node_setup di
  node_create c1 192.0.2.11/25
  node_peer c1 rt 192.0.2.1/25
  segment_create far
  node_attach rt far eth1 192.0.2.129/25
  node_create far
  node_attach far far eth0 192.0.2.130/25
  in_node rt ip link set dev eth1 mtu 1280
  in_node far ip link set dev eth0 mtu 1280
  in_node rt sysctl -qw net.ipv4.ip_forward=1
  in_node c1 ip route add 192.0.2.128/25 via 192.0.2.1
  in_node far ip route add 192.0.2.0/25 via 192.0.2.129
  cluster_start c1
}

teardown_file() {
  load ../../lab/lib/cluster
  cluster_stop c1 || true
  node_teardown
}

setup() {
  load ../../lab/lib/cluster
  load helpers/ocf
  export OCF_INSTANCE="dropin-$BATS_TEST_NUMBER"
}

# A path MTU exception for far, learnt from the router's "fragmentation needed", as the kernel
# keeps it: listed by `ip route show cache` (the IPv4 route cache of kernels since 3.6).
learn_path_mtu() {
  for _ in 1 2 3 4 5; do
    in_node c1 ping -c 1 -W 2 -s 1400 -M 'do' -I "$1" 192.0.2.130 >/dev/null 2>&1 || true
    if in_node c1 ip route show cache 192.0.2.130 | grep -q 'mtu 1280'; then return 0; fi
    sleep 0.2
  done
  echo "no path MTU exception for 192.0.2.130: $(in_node c1 ip route show cache)"
  return 1
}

# Runs vip (ours) or IPaddr2 (resource-agents' own, as the reference) in c1 as pacemaker-execd would.
vip_or_stock() {
  local agent=$1 action=$2 kv
  shift 2
  local -a env=(PATH="$OCF_PATH" OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE="$OCF_INSTANCE-$agent"
    OCF_RESKEY_CRM_meta_timeout=20000)
  for kv in "$@"; do env+=("OCF_RESKEY_$kv"); done
  case $agent in
    vip) in_node c1 env -i "${env[@]}" /usr/lib/ocf/resource.d/seapath/vip "$action" ;;
    IPaddr2) in_node c1 env -i "${env[@]}" /usr/lib/ocf/resource.d/heartbeat/IPaddr2 "$action" ;;
  esac
}

@test "vip flush_routes: stop empties the route cache as IPaddr2's does (ip route flush cache); without it the cache stays" {
  # IPaddr2 4.12 delete_interface: `ip addr delete`, then `ip route flush cache` when flush_routes is true.
  local agent flush
  for agent in IPaddr2 vip; do
    for flush in false true; do
      vip_or_stock $agent start ip=192.0.2.40 cidr_netmask=25 nic=eth0 check_duplicate=false arp_count=1 flush_routes=$flush
      learn_path_mtu 192.0.2.40
      vip_or_stock $agent stop ip=192.0.2.40 cidr_netmask=25 nic=eth0 flush_routes=$flush
      [ "$(in_node c1 ip -o address show dev eth0 | grep -c ' 192.0.2.40/')" -eq 0 ]
      run in_node c1 ip route show cache 192.0.2.130
      echo "$agent flush_routes=$flush: $output"
      if [ "$flush" = true ]; then [ -z "$output" ]; else [[ $output == *"mtu 1280"* ]]; fi
      in_node c1 ip route flush cache
    done
  done
  # The main table is untouched either way: the route to far is still there and used.
  in_node c1 ip route show table main | grep -q '^192.0.2.128/25 via 192.0.2.1 dev eth0'
  in_node c1 ping -c 1 -W 2 192.0.2.130
}

@test "each agent line is written once in pacemaker.log by a real cluster, as ocf_log's are" {
  local log
  log=$(node_dir c1)/fs/var/log/pacemaker/pacemaker.log
  # mac has no effect on a vip that is not cloned: start logs a WARNING naming it, and "added on" at INFO.
  in_cluster c1 pcs resource create logvip ocf:seapath:vip ip=192.0.2.41 cidr_netmask=25 nic=eth0 \
    check_duplicate=false mac=02:00:00:00:00:41 op monitor interval=30s
  cluster_wait_resource c1 logvip Started 30
  in_cluster c1 pcs resource delete logvip
  wait_until 20 "192.0.2.41 to be removed" bash -c "! ip -n $(node_netns c1) -o address show dev eth0 | grep -q ' 192.0.2.41/'"
  run grep -c "mac '02:00:00:00:00:41' has no effect" "$log"
  echo "warning lines: $output"; grep "mac '02:00:00:00:00:41' has no effect" "$log" || true
  [ "$output" -eq 1 ]
  run grep -c '192.0.2.41/25 removed from eth0' "$log"
  echo "stop lines: $output"; grep '192.0.2.41/25 removed from eth0' "$log" || true
  [ "$output" -eq 1 ]
}

@test "run as pacemaker-execd runs it: with HA_LOGFILE a line goes to that file once, not to stderr; with nothing configured, to stderr" {
  local file=/run/dropin-agent.log
  in_node c1 rm -f "$file"
  run --separate-stderr in_node c1 env -i PATH="$OCF_PATH" OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=filevip \
    HA_LOGFILE="$file" HA_LOGFACILITY=none PCMK_logfile="$file" \
    OCF_RESKEY_ip=192.0.2.42 OCF_RESKEY_cidr_netmask=25 OCF_RESKEY_nic=eth0 OCF_RESKEY_mac=02:00:00:00:00:42 \
    OCF_RESKEY_check_duplicate=false /usr/lib/ocf/resource.d/seapath/vip start
  [ "$status" -eq 0 ]
  # shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
  [[ $stderr != *"has no effect"* ]]
  [ "$(in_node c1 grep -c "WARNING: mac '02:00:00:00:00:42' has no effect" "$file")" -eq 1 ]
  in_node c1 grep -q "vip(filevip)\[[0-9]*\]: INFO: 192.0.2.42/25 added on eth0" "$file"
  run --separate-stderr in_node c1 env -i PATH="$OCF_PATH" OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=filevip \
    OCF_RESKEY_ip=192.0.2.42 OCF_RESKEY_cidr_netmask=25 OCF_RESKEY_nic=eth0 OCF_RESKEY_mac=02:00:00:00:00:42 \
    /usr/lib/ocf/resource.d/seapath/vip stop
  [ "$status" -eq 0 ]
  [ "$(grep -c 'INFO: 192.0.2.42/25 removed from eth0' <<<"$stderr")" -eq 1 ]
  [ "$(in_node c1 grep -c 'removed from eth0' "$file")" -eq 0 ]
  in_node c1 rm -f "$file"
}
