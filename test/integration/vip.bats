#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# integration-lane: side
# ocf:seapath:vip, installed, driven as pacemaker-execd drives it, in nodes made of network
# namespaces on a private segment (TEST-NET addresses only; the host is never touched).

bats_require_minimum_version 1.5.0

setup_file() {
  load ../../lab/lib/node
  node_setup vip
  node_create n1 192.0.2.11/24 2001:db8::11/64
  node_peer n1 n2 192.0.2.12/24 2001:db8::12/64
  node_peer n1 peer 192.0.2.99/24 2001:db8::99/64
}

teardown_file() {
  load ../../lab/lib/node
  node_teardown
}

setup() {
  load ../../lab/lib/node
  load helpers/ocf
  export OCF_INSTANCE="vip-$BATS_TEST_NUMBER"
}

has_address() { # NODE ADDR/PLEN
  in_node "$1" ip -o address show dev eth0 | grep -q " ${2} "
}

mac_of() { in_node "$1" cat /sys/class/net/eth0/address; }

@test "ocf-tester passes for an IPv4 address" {
  run in_node n1 ocf-tester -n vip-ocft4 -o ip=192.0.2.21 -o cidr_netmask=24 -o nic=eth0 /usr/lib/ocf/resource.d/seapath/vip
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"passed all tests"* ]]
}

@test "ocf-tester passes for an IPv6 address with the interface and prefix found from the routes" {
  run in_node n1 ocf-tester -n vip-ocft6 -o ip=2001:db8::21 /usr/lib/ocf/resource.d/seapath/vip
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"passed all tests"* ]]
}

@test "start without nic or cidr_netmask takes them from the route, once, and a peer reaches the address" {
  run ocf_agent n1 vip start ip=192.0.2.30
  [ "$status" -eq 0 ]
  has_address n1 192.0.2.30/24
  in_node n1 cat "/run/resource-agents/seapath-vip-$OCF_INSTANCE.json" | grep -q '"nic":"eth0","prefix":24'
  run in_node peer ping -c 1 -W 2 192.0.2.30
  [ "$status" -eq 0 ]
  run ocf_agent n1 vip monitor ip=192.0.2.30 CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  run ocf_agent n1 vip stop ip=192.0.2.30
  [ "$status" -eq 0 ]
  ! has_address n1 192.0.2.30/24 || false
}

@test "a state file of another shape (another version, a damaged disk) fails neither monitor nor stop" {
  ocf_agent n1 vip start ip=192.0.2.76 cidr_netmask=24 nic=eth0 check_duplicate=false
  for saved in 'null' '{"nic":7}' '[]'; do
    in_node n1 sh -c "printf '%s\n' '$saved' >/run/resource-agents/seapath-vip-$OCF_INSTANCE.json"
    run ocf_agent n1 vip monitor ip=192.0.2.76 cidr_netmask=24 nic=eth0 CRM_meta_interval=10000
    [ "$status" -eq 0 ]
  done
  run ocf_agent n1 vip stop ip=192.0.2.76 cidr_netmask=24 nic=eth0
  [ "$status" -eq 0 ]
  ! has_address n1 192.0.2.76/24 || false
}

@test "a second start succeeds and leaves one address; a second stop succeeds" {
  ocf_agent n1 vip start ip=192.0.2.31 cidr_netmask=24 nic=eth0
  run ocf_agent n1 vip start ip=192.0.2.31 cidr_netmask=24 nic=eth0
  [ "$status" -eq 0 ]
  [ "$(in_node n1 ip -o address show dev eth0 | grep -c ' 192.0.2.31/24 ')" -eq 1 ]
  # IPaddr2's status: the monitor under another name, and its words on stdout
  run --separate-stderr ocf_agent n1 vip status ip=192.0.2.31 cidr_netmask=24 nic=eth0
  [ "$status" -eq 0 ]
  [ "$output" = running ]
  ocf_agent n1 vip stop ip=192.0.2.31 cidr_netmask=24 nic=eth0
  run ocf_agent n1 vip stop ip=192.0.2.31 cidr_netmask=24 nic=eth0
  [ "$status" -eq 0 ]
  run ocf_agent n1 vip monitor ip=192.0.2.31 CRM_meta_interval=10000
  [ "$status" -eq 7 ]
  run --separate-stderr ocf_agent n1 vip status ip=192.0.2.31 cidr_netmask=24 nic=eth0
  [ "$status" -eq 7 ]
  [ "$output" = stopped ]
}

@test "failover: the peer's ARP cache follows the address to the second node without asking" {
  ocf_agent n1 vip start ip=192.0.2.40 cidr_netmask=24 nic=eth0
  in_node peer ping -c 1 -W 2 192.0.2.40
  [ "$(in_node peer ip neigh show 192.0.2.40 | awk '{print $5}')" = "$(mac_of n1)" ]
  ocf_agent n1 vip stop ip=192.0.2.40 cidr_netmask=24 nic=eth0 # also ends n1's background announcements
  run ocf_agent n2 vip start ip=192.0.2.40 cidr_netmask=24 nic=eth0
  [ "$status" -eq 0 ]
  # No traffic from the peer in between: only n2's gratuitous ARP can have changed the entry.
  wait_until 5 "peer's ARP entry for 192.0.2.40 to point at n2" \
    bash -c "[ \"\$(ip netns exec $(node_netns peer) ip neigh show 192.0.2.40 | awk '{print \$5}')\" = $(mac_of n2) ]"
  in_node peer ping -c 1 -W 2 192.0.2.40
  ocf_agent n2 vip stop ip=192.0.2.40 cidr_netmask=24 nic=eth0
}

@test "IPv6: start waits for duplicate address detection and announces the address to the peer" {
  in_node peer ping -c 1 -W 2 2001:db8::11 # the peer knows n1 on the segment
  in_node peer timeout 10 tcpdump -l -n -i eth0 -c 1 'icmp6 and ip6[40] == 136 and src host 2001:db8::41' \
    >"$BATS_TEST_TMPDIR/na" 2>"$BATS_TEST_TMPDIR/na.err" &
  local capture=$!
  wait_until 5 "tcpdump listening on the peer" grep -q "listening on eth0" "$BATS_TEST_TMPDIR/na.err"
  run ocf_agent n1 vip start ip=2001:db8::41 cidr_netmask=64 nic=eth0
  [ "$status" -eq 0 ]
  run in_node n1 ip -6 -o address show dev eth0
  [[ $output == *"2001:db8::41/64"* ]]
  [[ $output != *"2001:db8::41/64"*tentative* ]]
  wait "$capture"
  grep -q 'neighbor advertisement, tgt is 2001:db8::41' "$BATS_TEST_TMPDIR/na"
  run in_node peer ping -c 1 -W 2 2001:db8::41
  [ "$status" -eq 0 ]
  ocf_agent n1 vip stop ip=2001:db8::41 cidr_netmask=64 nic=eth0
}

@test "start refuses an IPv4 address another host answers for, and leaves nothing behind" {
  in_node peer ip address add 192.0.2.50/24 dev eth0
  run ocf_agent n1 vip start ip=192.0.2.50 cidr_netmask=24 nic=eth0
  in_node peer ip address del 192.0.2.50/24 dev eth0
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "192.0.2.50 already answers on the segment of eth0"* ]]
  ! has_address n1 192.0.2.50/24 || false
  [ ! -e "$(node_dir n1)/fs/run/resource-agents/seapath-vip-$OCF_INSTANCE.json" ] || false
}

@test "check_duplicate=false skips the duplicate check" {
  in_node peer ip address add 192.0.2.51/24 dev eth0
  run ocf_agent n1 vip start ip=192.0.2.51 cidr_netmask=24 nic=eth0 check_duplicate=false
  in_node peer ip address del 192.0.2.51/24 dev eth0
  [ "$status" -eq 0 ]
  ocf_agent n1 vip stop ip=192.0.2.51 cidr_netmask=24 nic=eth0
}

@test "IPv6: an address that fails duplicate address detection is refused and removed" {
  in_node peer ip -6 address add 2001:db8::52/64 dev eth0 nodad
  run ocf_agent n1 vip start ip=2001:db8::52 cidr_netmask=64 nic=eth0
  in_node peer ip -6 address del 2001:db8::52/64 dev eth0
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == *"failed duplicate address detection"* ]]
  ! in_node n1 ip -6 -o address show dev eth0 | grep -q '2001:db8::52/' || false
}

# eth1 of n1 on a segment whose switch port can be cut: a link without carrier.
dead_link() {
  segment_create dead
  in_node n1 test -e /sys/class/net/eth1 || node_attach n1 dead eth1 198.51.100.1/24 2001:db8:1::1/64
  ip -n "$(_segment_netns dead)" link set p1 down
  wait_until 5 "eth1 to lose its carrier" bash -c "[ \"\$(ip netns exec $(node_netns n1) cat /sys/class/net/eth1/carrier)\" = 0 ]"
}

@test "check_link_status=true: a link without carrier fails the start and leaves no address" {
  dead_link
  in_node n1 ip link set eth1 down
  run ocf_agent n1 vip start ip=198.51.100.10 cidr_netmask=24 nic=eth1 check_link_status=true
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "interface eth1 is down"* ]]
  ! in_node n1 ip -o address show dev eth1 | grep -q 198.51.100.10 || false
  # the start brought the link up to look at it, and set it down again as it found it
  in_node n1 ip -o link show dev eth1 | grep -qv '[<,]UP[,>]'
  in_node n1 ip link set eth1 up
  run ocf_agent n1 vip monitor ip=198.51.100.10 cidr_netmask=24 nic=eth1 CRM_meta_interval=0
  [ "$status" -eq 7 ]
  run ocf_agent n1 vip start ip=2001:db8:1::10 cidr_netmask=64 nic=eth1 check_link_status=true
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "interface eth1 is down"* ]]
}

@test "a link the start brings up gets its carrier a moment later: the start waits for it, then announces; check_link_status=true passes" {
  dead_link
  in_node n1 ip link set eth1 down
  # the segment's side of eth1 comes up a second after the start brought eth1 up
  ( sleep 1; ip -n "$(_segment_netns dead)" link set p1 up ) &
  local upper=$!
  run ocf_agent n1 vip start ip=198.51.100.12 cidr_netmask=24 nic=eth1 check_link_status=true
  wait "$upper"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output != *"no carrier"* ]]
  [[ $output == *"198.51.100.12/24 added on eth1"* ]]
  run ocf_agent n1 vip monitor ip=198.51.100.12 cidr_netmask=24 nic=eth1 check_link_status=true CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  ocf_agent n1 vip stop ip=198.51.100.12 cidr_netmask=24 nic=eth1
  ip -n "$(_segment_netns dead)" link set p1 down
}

@test "by default, an address on a link without carrier is added, monitored as running and removed by stop (IPv4 and IPv6, no DAD wait)" {
  dead_link
  run ocf_agent n1 vip start ip=198.51.100.11 cidr_netmask=24 nic=eth1
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"WARNING: 198.51.100.11/24 added on eth1, which has no carrier"* ]]
  in_node n1 ip -o address show dev eth1 | grep -q ' 198.51.100.11/24 '
  run ocf_agent n1 vip monitor ip=198.51.100.11 cidr_netmask=24 nic=eth1 CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  run ocf_agent n1 vip monitor ip=198.51.100.11 cidr_netmask=24 nic=eth1 CRM_meta_interval=0
  [ "$status" -eq 0 ]
  run ocf_agent n1 vip stop ip=198.51.100.11 cidr_netmask=24 nic=eth1
  [ "$status" -eq 0 ]
  ! in_node n1 ip -o address show dev eth1 | grep -q 198.51.100.11 || false
  # IPv6: DAD never ends without carrier; the start does not wait for it
  OCF_TIMEOUT_MS=8000 run ocf_agent n1 vip start ip=2001:db8:1::11 cidr_netmask=64 nic=eth1
  echo "$output"
  [ "$status" -eq 0 ]
  run ocf_agent n1 vip monitor ip=2001:db8:1::11 cidr_netmask=64 nic=eth1 CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  ocf_agent n1 vip stop ip=2001:db8:1::11 cidr_netmask=64 nic=eth1
  ! in_node n1 ip -6 -o address show dev eth1 | grep -q 2001:db8:1::11/ || false
}

@test "without nic or state (a killed start, a leftover), a probe finds an address on a link without carrier where start would add it" {
  dead_link
  in_node n1 ip address add 198.51.100.13/24 dev eth1
  run ocf_agent n1 vip monitor ip=198.51.100.13 cidr_netmask=24 CRM_meta_interval=0
  echo "$output"
  [ "$status" -eq 0 ]
  run ocf_agent n1 vip stop ip=198.51.100.13 cidr_netmask=24
  [ "$status" -eq 0 ]
  ! in_node n1 ip -o address show dev eth1 | grep -q 198.51.100.13 || false
  run ocf_agent n1 vip monitor ip=198.51.100.13 cidr_netmask=24 CRM_meta_interval=0
  [ "$status" -eq 7 ]
}

@test "monitor and stop find an address on a dormant link" {
  dead_link
  ip -n "$(_segment_netns dead)" link set p1 up
  ocf_agent n1 vip start ip=198.51.100.12 cidr_netmask=24 nic=eth1 check_duplicate=false
  # link mode dormant takes effect at the next up (rfc2863 operstate)
  in_node n1 sh -c 'ip link set dev eth1 mode dormant && ip link set dev eth1 down && ip link set dev eth1 up'
  wait_until 5 "eth1 to be dormant" bash -c "[ \"\$(ip netns exec $(node_netns n1) cat /sys/class/net/eth1/operstate)\" = dormant ]"
  run ocf_agent n1 vip monitor ip=198.51.100.12 cidr_netmask=24 nic=eth1 CRM_meta_interval=10000
  local monitor=$status
  run ocf_agent n1 vip stop ip=198.51.100.12 cidr_netmask=24 nic=eth1
  local stop=$status
  in_node n1 ip link set dev eth1 mode default
  [ "$monitor" -eq 0 ]
  [ "$stop" -eq 0 ]
  ! in_node n1 ip -o address show dev eth1 | grep -q 198.51.100.12 || false
}

@test "the same address also on lo (LVS-DR): monitor finds it on its own interface, stop removes it there and leaves lo's" {
  in_node n1 ip address add 192.0.2.63/32 dev lo
  run ocf_agent n1 vip start ip=192.0.2.63 cidr_netmask=24 nic=eth0 check_duplicate=false
  [ "$status" -eq 0 ]
  has_address n1 192.0.2.63/24
  run ocf_agent n1 vip monitor ip=192.0.2.63 cidr_netmask=24 nic=eth0 CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  run ocf_agent n1 vip stop ip=192.0.2.63 cidr_netmask=24 nic=eth0
  [ "$status" -eq 0 ]
  ! has_address n1 192.0.2.63/24 || false
  in_node n1 ip -o address show dev lo | grep -q ' 192.0.2.63/32 '
  # Only on lo: not this resource's address
  run ocf_agent n1 vip monitor ip=192.0.2.63 cidr_netmask=24 nic=eth0 CRM_meta_interval=0
  [ "$status" -eq 7 ]
  in_node n1 ip address del 192.0.2.63/32 dev lo
}

@test "cidr_netmask without nic: the interface whose network covers ip/cidr_netmask, as findif matches it; else the narrowest route" {
  segment_create narrow
  in_node n1 test -e /sys/class/net/eth2 || node_attach n1 narrow eth2 192.0.2.129/25
  # eth0 holds 192.0.2.0/24, eth2 the narrower 192.0.2.128/25 inside it
  run ocf_agent n1 vip start ip=192.0.2.150 cidr_netmask=24 check_duplicate=false
  local with=$status on_eth0
  on_eth0=$(in_node n1 ip -o address show dev eth0 | grep -c ' 192.0.2.150/24 ' || true)
  ocf_agent n1 vip stop ip=192.0.2.150 cidr_netmask=24 || true
  run ocf_agent n1 vip start ip=192.0.2.151 check_duplicate=false
  local without=$status on_eth2
  on_eth2=$(in_node n1 ip -o address show dev eth2 | grep -c ' 192.0.2.151/25 ' || true)
  ocf_agent n1 vip stop ip=192.0.2.151 || true
  in_node n1 ip link del eth2
  [ "$with" -eq 0 ] && [ "$on_eth0" -eq 1 ]
  [ "$without" -eq 0 ] && [ "$on_eth2" -eq 1 ]
}

@test "without nic, only a directly connected route is used: never one through a gateway" {
  in_node n1 ip route add 203.0.113.0/24 via 192.0.2.12 dev eth0
  run ocf_agent n1 vip start ip=203.0.113.6
  in_node n1 ip route del 203.0.113.0/24 via 192.0.2.12 dev eth0
  [ "$status" -eq 2 ]
  [[ $(ocf_exit_reason) == "no directly connected route on this node covers 203.0.113.6"* ]]
  ! in_node n1 ip -o address show | grep -q 203.0.113.6 || false
}

@test "IPaddr2's forms: nic=eth0:label, netmask, noprefixroute, lvs_ipv6_addrlabel" {
  run ocf_agent n1 vip start ip=192.0.2.64 nic=eth0:web netmask=25 noprefixroute=true check_duplicate=false
  echo "$output"
  [ "$status" -eq 0 ]
  run in_node n1 ip -o address show dev eth0
  [[ $output == *" 192.0.2.64/25 "*"noprefixroute eth0:web"* ]]
  run ocf_agent n1 vip monitor ip=192.0.2.64 nic=eth0:web netmask=25 CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  ocf_agent n1 vip stop ip=192.0.2.64 nic=eth0:web netmask=25
  ! in_node n1 ip -o address show dev eth0 | grep -q 192.0.2.64 || false
  ocf_agent n1 vip start ip=2001:db8::65 cidr_netmask=64 nic=eth0 lvs_ipv6_addrlabel=true lvs_ipv6_addrlabel_value=77
  in_node n1 ip -6 addrlabel list | grep -q 'prefix 2001:db8::65/128 .*label 77'
  ocf_agent n1 vip stop ip=2001:db8::65 cidr_netmask=64 nic=eth0 lvs_ipv6_addrlabel=true lvs_ipv6_addrlabel_value=77
  ! in_node n1 ip -6 addrlabel list | grep -q 'prefix 2001:db8::65/128' || false
}

@test "network_namespace and unique_clone_address are refused with 6 and nothing is added" {
  local bad
  for bad in network_namespace=blue unique_clone_address=true; do
    run ocf_agent n1 vip start ip=192.0.2.66 cidr_netmask=24 nic=eth0 "$bad"
    echo "$bad -> $status $(ocf_exit_reason)"
    [ "$status" -eq 6 ]
    [[ $(ocf_exit_reason) == "${bad%%=*}"* ]]
    ! in_node n1 ip -o address show | grep -q 192.0.2.66 || false
  done
  # each reason says what ignoring the parameter would do
  run ocf_agent n1 vip start ip=192.0.2.66 cidr_netmask=24 nic=eth0 network_namespace=blue
  [[ $(ocf_exit_reason) == *"rather than adding the address to this node's own namespace"* ]]
}

@test "lvs_support: the copy on lo is removed while the address runs here and put back on lo at stop, as IPaddr2 does" {
  in_node n1 ip address add 192.0.2.62/32 dev lo
  run ocf_agent n1 vip start ip=192.0.2.62 cidr_netmask=24 nic=eth0 lvs_support=true check_duplicate=false
  echo "$output"
  [ "$status" -eq 0 ]
  has_address n1 192.0.2.62/24
  ! in_node n1 ip -o address show dev lo | grep -q ' 192.0.2.62/' || false
  run ocf_agent n1 vip monitor ip=192.0.2.62 cidr_netmask=24 nic=eth0 lvs_support=true CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  run ocf_agent n1 vip stop ip=192.0.2.62 cidr_netmask=24 nic=eth0 lvs_support=true
  [ "$status" -eq 0 ]
  ! has_address n1 192.0.2.62/24 || false
  in_node n1 ip -o address show dev lo | grep -q ' 192.0.2.62/32 '
  # a start that fails after moving the copy aside (ip refuses the address on eth0) puts it back at once
  cp /usr/bin/ip "$BATS_TEST_TMPDIR/ip.real"
  printf '#!/bin/sh\ncase " $* " in *" add "*" dev eth0 "*) echo "RTNETLINK answers: %s" >&2; exit 2;; esac\nexec %s "$@"\n' \
    "Permission denied" "$BATS_TEST_TMPDIR/ip.real" >"$BATS_TEST_TMPDIR/ip"
  chmod +x "$BATS_TEST_TMPDIR/ip"
  local env="env -i PATH=$OCF_PATH OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=$OCF_INSTANCE OCF_RESKEY_ip=192.0.2.62"
  env+=" OCF_RESKEY_cidr_netmask=24 OCF_RESKEY_nic=eth0 OCF_RESKEY_lvs_support=true OCF_RESKEY_check_duplicate=false"
  run in_node n1 unshare --mount sh -c "mount --bind $BATS_TEST_TMPDIR/ip /usr/bin/ip && $env /usr/lib/ocf/resource.d/seapath/vip start"
  echo "$output"
  [ "$status" -eq 1 ]
  in_node n1 ip -o address show dev lo | grep -q ' 192.0.2.62/32 '
  ! has_address n1 192.0.2.62/24 || false
  in_node n1 ip address del 192.0.2.62/32 dev lo
}

@test "lvs_support: a start cut off after moving the lo copy aside is not running, and the next start and stop still put the copy back" {
  # what a start killed between removing lo's copy and adding the address leaves: the copy gone, a note of it
  in_node n1 sh -c "echo '{\"loopbackPrefix\":32}' >/run/resource-agents/seapath-vip-$OCF_INSTANCE.json"
  run ocf_agent n1 vip monitor ip=192.0.2.61 cidr_netmask=24 nic=eth0 lvs_support=true CRM_meta_interval=0
  [ "$status" -eq 7 ]
  run ocf_agent n1 vip start ip=192.0.2.61 cidr_netmask=24 nic=eth0 lvs_support=true check_duplicate=false
  [ "$status" -eq 0 ]
  has_address n1 192.0.2.61/24
  run ocf_agent n1 vip stop ip=192.0.2.61 cidr_netmask=24 nic=eth0 lvs_support=true
  [ "$status" -eq 0 ]
  ! has_address n1 192.0.2.61/24 || false
  in_node n1 ip -o address show dev lo | grep -q ' 192.0.2.61/32 '
  in_node n1 ip address del 192.0.2.61/32 dev lo
}

@test "without nic, state or a route, stop leaves an address that is only on lo (an LVS-DR real server's)" {
  in_node n1 ip address add 203.0.113.9/32 dev lo
  run ocf_agent n1 vip monitor ip=203.0.113.9 CRM_meta_interval=0
  [ "$status" -eq 7 ]
  run ocf_agent n1 vip stop ip=203.0.113.9
  [ "$status" -eq 0 ]
  in_node n1 ip -o address show dev lo | grep -q ' 203.0.113.9/32 '
  in_node n1 ip address del 203.0.113.9/32 dev lo
}

@test "without nic or state, the address counts only where start would add it, and stop removes it only there" {
  in_node n1 ip link add dummy7 type veth peer name dummy7p # this kernel has no dummy links
  in_node n1 ip link set dummy7 up
  in_node n1 ip link set dummy7p up # a running link: its addresses are listed as a leftover's would be
  in_node n1 ip address add 192.0.2.72/32 dev dummy7
  run ocf_agent n1 vip monitor ip=192.0.2.72 CRM_meta_interval=0
  [ "$status" -eq 7 ]
  run ocf_agent n1 vip start ip=192.0.2.72 check_duplicate=false
  [ "$status" -eq 0 ]
  has_address n1 192.0.2.72/24
  run ocf_agent n1 vip stop ip=192.0.2.72
  [ "$status" -eq 0 ]
  ! has_address n1 192.0.2.72/24 || false
  run ocf_agent n1 vip monitor ip=192.0.2.72 CRM_meta_interval=0
  [ "$status" -eq 7 ]
  # the leftover's stop says whose it is not, and leaves it
  run ocf_agent n1 vip stop ip=192.0.2.72
  [ "$status" -eq 0 ]
  [[ $output == *"192.0.2.72 is on dummy7, not on eth0 where this resource would add it: leaving it there"* ]]
  in_node n1 ip -o address show dev dummy7 | grep -q ' 192.0.2.72/32 '
  in_node n1 ip link del dummy7
}

@test "a malformed setting does not blind stop or a probe: they find the address and stop removes it" {
  ocf_agent n1 vip start ip=192.0.2.73 cidr_netmask=24 nic=eth0 check_duplicate=false
  run ocf_agent n1 vip monitor ip=192.0.2.73 cidr_netmask=33 nic=eth0 arp_interval=abc CRM_meta_interval=0
  [ "$status" -eq 0 ]
  run ocf_agent n1 vip stop ip=192.0.2.73 cidr_netmask=33 nic=eth0 arp_interval=abc
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"parameter arp_interval: "*"this stop uses the default 200 instead"* ]]
  ! has_address n1 192.0.2.73/24 || false
}

@test "IPaddr2's forms for IPv6: a label (nic=eth0:lab) is ignored with a warning, the address comes and goes" {
  run ocf_agent n1 vip start ip=2001:db8::74 cidr_netmask=64 nic=eth0:lab nodad=true
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"has no effect on an IPv6 address"* ]]
  has_address n1 2001:db8::74/64
  run ocf_agent n1 vip stop ip=2001:db8::74 cidr_netmask=64 nic=eth0:lab
  [ "$status" -eq 0 ]
  ! has_address n1 2001:db8::74/64 || false
}

@test "duplicate check without iputils arping: start goes on with a warning, never refuses" {
  in_node peer ip address add 192.0.2.67/24 dev eth0
  local env="env -i PATH=$OCF_PATH OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=$OCF_INSTANCE"
  env+=" OCF_RESKEY_ip=192.0.2.67 OCF_RESKEY_cidr_netmask=24 OCF_RESKEY_nic=eth0"
  # no arping at all, then an arping that is not iputils' (its -V says nothing of iputils)
  for hide in "mount --bind /dev/null /usr/bin/arping" "mount --bind /bin/false /usr/bin/arping"; do
    run in_node n1 unshare --mount sh -c "$hide && $env /usr/lib/ocf/resource.d/seapath/vip start"
    echo "$hide: $status $output"
    [ "$status" -eq 0 ]
    [[ $output == *"WARNING: cannot check whether another host holds 192.0.2.67"* ]]
    ocf_agent n1 vip stop ip=192.0.2.67 cidr_netmask=24 nic=eth0
  done
  in_node peer ip address del 192.0.2.67/24 dev eth0
}

@test "a failed gratuitous ARP refresh is logged, and the monitor still exits 0" {
  ocf_agent n1 vip start ip=192.0.2.68 cidr_netmask=24 nic=eth0 check_duplicate=false
  local hide="mount --bind /dev/null /usr/libexec/heartbeat/send_arp"
  local env="env -i PATH=$OCF_PATH OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=$OCF_INSTANCE OCF_RESKEY_ip=192.0.2.68"
  env+=" OCF_RESKEY_cidr_netmask=24 OCF_RESKEY_nic=eth0 OCF_RESKEY_arp_count_refresh=2 OCF_RESKEY_CRM_meta_interval=10000"
  run in_node n1 unshare --mount sh -c "$hide && $env /usr/lib/ocf/resource.d/seapath/vip monitor"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"WARNING: refreshing 192.0.2.68's gratuitous ARPs (best effort) did not complete"* ]]
  ocf_agent n1 vip stop ip=192.0.2.68 cidr_netmask=24 nic=eth0
}

# n1's senders only (a cluster in the other lane may announce an address of its own).
# (a function, not bash -c: pgrep -f would find that shell's own command line)
_send_arp_in_n1() { pgrep --ns "$(node_pid n1)" --nslist net -f "heartbeat/send_arp $1"; }
_no_send_arp_for() { ! _send_arp_in_n1 ".* $1 "; }

@test "arp_count_refresh sends in the background (arp_bg, IPv4's default): the monitor returns while it sends, and stop ends the sender" {
  ocf_agent n1 vip start ip=192.0.2.74 cidr_netmask=24 nic=eth0 check_duplicate=false arp_count=1
  # 30 ARPs 200 ms apart: 6 s of sending
  run ocf_agent n1 vip monitor ip=192.0.2.74 cidr_netmask=24 nic=eth0 arp_count_refresh=30 CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  _send_arp_in_n1 '.*-r 30 eth0 192.0.2.74 '
  run ocf_agent n1 vip stop ip=192.0.2.74 cidr_netmask=24 nic=eth0
  [ "$status" -eq 0 ]
  ! has_address n1 192.0.2.74/24 || false
  # well before its 6 s of sending would have ended by itself
  wait_until 1 "stop to end send_arp" _no_send_arp_for 192.0.2.74
}

@test "the address also on its interface with another prefix, added by someone else: monitor and stop act on this resource's copy only" {
  ocf_agent n1 vip start ip=192.0.2.75 cidr_netmask=24 nic=eth0 check_duplicate=false
  in_node n1 ip address add 192.0.2.75/32 dev eth0
  run ocf_agent n1 vip monitor ip=192.0.2.75 cidr_netmask=24 nic=eth0 CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  run ocf_agent n1 vip stop ip=192.0.2.75 cidr_netmask=24 nic=eth0
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"192.0.2.75/32 is also on eth0, added by something else than this resource: leaving it there"* ]]
  ! has_address n1 192.0.2.75/24 || false
  has_address n1 192.0.2.75/32
  in_node n1 ip address del 192.0.2.75/32 dev eth0
}

@test "monitor reports an address removed behind the cluster's back as not running" {
  ocf_agent n1 vip start ip=192.0.2.60 cidr_netmask=24 nic=eth0
  in_node n1 ip address del 192.0.2.60/24 dev eth0
  run ocf_agent n1 vip monitor ip=192.0.2.60 cidr_netmask=24 nic=eth0 CRM_meta_interval=10000
  [ "$status" -eq 7 ]
  run ocf_agent n1 vip stop ip=192.0.2.60 cidr_netmask=24 nic=eth0
  [ "$status" -eq 0 ]
}

@test "malformed address or prefix: 6 from start and validate-all, 0 from stop, 7 from a probe" {
  local malformed=("ip=192.0.2.300" "ip=vip.example" "ip=192.0.2.70 cidr_netmask=33" "ip=192.0.2.70 cidr_netmask=255.0.255.0"
    "ip=2001:db8::70 cidr_netmask=129" "ip=192.0.2.70 cidr_netmask=0" "ip=2001:db8::70 cidr_netmask=0")
  for params in "${malformed[@]}"; do
    # shellcheck disable=SC2086
    run ocf_agent n1 vip start $params
    [ "$status" -eq 6 ] || { echo "start $params: $status $output"; false; }
    [ -n "$(ocf_exit_reason)" ]
    # shellcheck disable=SC2086
    run ocf_agent n1 vip validate-all $params
    [ "$status" -eq 6 ]
    # shellcheck disable=SC2086
    run ocf_agent n1 vip stop $params
    [ "$status" -eq 0 ]
    # shellcheck disable=SC2086
    run ocf_agent n1 vip monitor $params CRM_meta_interval=0
    [ "$status" -eq 7 ]
  done
  run ocf_agent n1 vip start
  [ "$status" -eq 6 ]
  [ "$(ocf_exit_reason)" = "required parameter ip is not set" ]
}

@test "a nic absent on this node: 2 from start and validate-all level 10, 7 from a probe, 0 from stop" {
  run ocf_agent n1 vip start ip=192.0.2.71 cidr_netmask=24 nic=eth7
  [ "$status" -eq 2 ]
  [ "$(ocf_exit_reason)" = "interface eth7 does not exist on this node" ]
  run ocf_agent n1 vip validate-all ip=192.0.2.71 nic=eth7 OCF_CHECK_LEVEL=10
  [ "$status" -eq 2 ]
  run ocf_agent n1 vip validate-all ip=192.0.2.71 nic=eth7
  [ "$status" -eq 0 ] # level 0 checks only the parameters: valid on a node that has eth7
  run ocf_agent n1 vip monitor ip=192.0.2.71 nic=eth7 CRM_meta_interval=0
  [ "$status" -eq 7 ]
  run ocf_agent n1 vip monitor ip=192.0.2.71 nic=eth7 CRM_meta_interval=10000 # a Stopped-role monitor
  [ "$status" -eq 7 ]
  run ocf_agent n1 vip stop ip=192.0.2.71 nic=eth7
  [ "$status" -eq 0 ]
}

@test "no route to the address and no nic: 2 with a reason saying what to set, from start and validate-all level 10" {
  run ocf_agent n1 vip start ip=203.0.113.5
  [ "$status" -eq 2 ]
  [[ $(ocf_exit_reason) == "no directly connected route on this node covers 203.0.113.5: set nic and cidr_netmask"* ]]
  run ocf_agent n1 vip validate-all ip=203.0.113.5 OCF_CHECK_LEVEL=10
  [ "$status" -eq 2 ]
  [[ $(ocf_exit_reason) == "no directly connected route on this node covers 203.0.113.5: set nic and cidr_netmask"* ]]
  # level 10 checks the label against the interface the route gives, as start does
  run ocf_agent n1 vip validate-all ip=192.0.2.72 iflabel=longlabel12 OCF_CHECK_LEVEL=10
  [ "$status" -eq 6 ]
  [ "$(ocf_exit_reason)" = "label eth0:longlabel12 is longer than the kernel's 15 characters; shorten iflabel" ]
  run ocf_agent n1 vip validate-all ip=192.0.2.72 iflabel=short OCF_CHECK_LEVEL=10
  [ "$status" -eq 0 ]
  ! has_address n1 192.0.2.72 || false
}

# ocf_agent ARGS..., run as a service whose capability bounding set lacks cap_net_admin
without_net_admin() {
  # shellcheck disable=SC2034 # read by ocf_agent
  local -a OCF_WRAPPER=(setpriv --inh-caps=-net_admin --bounding-set=-net_admin)
  ocf_agent "$@"
}

@test "without cap_net_admin: start, and a stop with the address to remove, answer 4 and change nothing; a stop with nothing to remove: 0" {
  local -a env=(ip=192.0.2.74 cidr_netmask=24 nic=eth0 check_duplicate=false)
  run without_net_admin n1 vip start "${env[@]}"
  [ "$status" -eq 4 ]
  [[ $(ocf_exit_reason) == "cannot add 192.0.2.74"*"lacks cap_net_admin"* ]]
  ! has_address n1 192.0.2.74/24 || false
  run without_net_admin n1 vip stop "${env[@]}"
  [ "$status" -eq 0 ]
  ocf_agent n1 vip start "${env[@]}"
  # a stop that cannot remove the address has not stopped the resource: never 0 (the address would
  # then answer on two nodes)
  run without_net_admin n1 vip stop "${env[@]}"
  [ "$status" -eq 4 ]
  [[ $(ocf_exit_reason) == "cannot remove 192.0.2.74 from eth0: this process lacks cap_net_admin"* ]]
  has_address n1 192.0.2.74/24
  run ocf_agent n1 vip monitor "${env[@]}" CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  ocf_agent n1 vip stop "${env[@]}"
  ! has_address n1 192.0.2.74/24 || false
}

@test "a missing tool: 5 from start; monitor and stop look without ip: 7 and 0 with no address, 0 and 5 with it up" {
  # shellcheck disable=SC2016 # expanded by the inner shell, not this one
  hide_ip='for f in /usr/bin/ip /bin/ip; do mount --bind /dev/null "$f"; done; exec "$@"'
  local env=(env -i "PATH=$OCF_PATH" OCF_ROOT=/usr/lib/ocf OCF_RESKEY_ip=192.0.2.72)
  local vip=/usr/lib/ocf/resource.d/seapath/vip
  run in_node n1 unshare --mount bash -c "$hide_ip" - "${env[@]}" OCF_RESKEY_CRM_meta_interval=0 "$vip" start
  [ "$status" -eq 5 ]
  [[ $(ocf_exit_reason) == "ip is not installed on this node"* ]]
  run in_node n1 unshare --mount bash -c "$hide_ip" - "${env[@]}" OCF_RESKEY_CRM_meta_interval=0 "$vip" monitor
  [ "$status" -eq 7 ]
  run in_node n1 unshare --mount bash -c "$hide_ip" - "${env[@]}" "$vip" stop
  [ "$status" -eq 0 ]
  # ip gone while the address is up: monitor and stop look without it; the stop cannot remove the
  # address, so it fails (5, as IPaddr2) rather than answer "stopped" with the address still here
  ocf_agent n1 vip start ip=192.0.2.72 cidr_netmask=24 nic=eth0 check_duplicate=false
  local up=(OCF_RESKEY_nic=eth0 OCF_RESKEY_cidr_netmask=24)
  run in_node n1 unshare --mount bash -c "$hide_ip" - "${env[@]}" "${up[@]}" OCF_RESKEY_CRM_meta_interval=0 "$vip" monitor
  [ "$status" -eq 0 ]
  run in_node n1 unshare --mount bash -c "$hide_ip" - "${env[@]}" "${up[@]}" "$vip" stop
  [ "$status" -eq 5 ]
  [[ $(ocf_exit_reason) == "ip is not installed"* ]]
  has_address n1 192.0.2.72/24
  ocf_agent n1 vip stop ip=192.0.2.72 cidr_netmask=24 nic=eth0
  ! has_address n1 192.0.2.72/24 || false
  hide_sender='mount --bind /dev/null /usr/libexec/heartbeat/send_arp; exec "$@"'
  run in_node n1 unshare --mount bash -c "$hide_sender" - "${env[@]}" OCF_RESKEY_nic=eth0 OCF_RESKEY_cidr_netmask=24 "$vip" start
  [ "$status" -eq 5 ]
  [[ $(ocf_exit_reason) == "/usr/libexec/heartbeat/send_arp is not installed on this node (needed to announce 192.0.2.72)" ]]
  ! has_address n1 192.0.2.72/24 || false
}

@test "meta-data works as nobody with no environment and validates against the OCF 1.1 schema" {
  # From /: nobody may not read the checkout's directory (a clone under mktemp -d is 0700), and sh
  # would then print getcwd's failure into the output.
  cd /
  run in_node n1 su nobody -s /bin/sh -c 'env -i /usr/lib/ocf/resource.d/seapath/vip meta-data'
  [ "$status" -eq 0 ]
  xmllint --noout --nonet --relaxng "$BATS_TEST_DIRNAME/../../spec/ocf-ra-api-1.1.rng" - <<<"$output"
}

@test "an unknown action exits 3" {
  run ocf_agent n1 vip frobnicate ip=192.0.2.73
  [ "$status" -eq 3 ]
}
