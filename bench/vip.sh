#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# vip vs IPaddr2, same address, one run: monitor and meta-data. Runs inside a namespace of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash
ns=vip-bench-$$ peer=vip-bench-peer-$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; ip netns del "$peer" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$ns"; ip netns add "$peer"
ip link add eth0 netns "$ns" type veth peer name eth0 netns "$peer"
ip -n "$ns" link set lo up; ip -n "$ns" link set eth0 up; ip -n "$peer" link set eth0 up
ip -n "$ns" address add 192.0.2.1/24 dev eth0

env4=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=bench-vip
  OCF_RESKEY_ip=192.0.2.10 OCF_RESKEY_cidr_netmask=24 OCF_RESKEY_nic=eth0 OCF_RESKEY_CRM_meta_timeout=20000 HA_RSCTMP=/tmp/vip-bench-$$)
ip netns exec "$ns" "${env4[@]}" /usr/lib/ocf/resource.d/heartbeat/IPaddr2 start >/dev/null 2>&1

echo "### vip vs IPaddr2 (address 192.0.2.10/24 present on eth0, same run)"
echo
bench_machine
echo
bench_header
bench_compare "monitor (recurring)" 100 /usr/lib/ocf/resource.d/heartbeat/IPaddr2\ monitor /usr/lib/ocf/resource.d/seapath/vip\ monitor \
  ip netns exec "$ns" "${env4[@]}" OCF_RESKEY_CRM_meta_interval=10000
bench_compare "meta-data" 60 /usr/lib/ocf/resource.d/heartbeat/IPaddr2\ meta-data /usr/lib/ocf/resource.d/seapath/vip\ meta-data \
  ip netns exec "$ns" "${env4[@]}"
ip netns exec "$ns" "${env4[@]}" /usr/lib/ocf/resource.d/heartbeat/IPaddr2 stop >/dev/null 2>&1
rm -rf "/tmp/vip-bench-$$"
