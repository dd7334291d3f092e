#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# ping vs ocf:pacemaker:ping (with fping), same hosts, one run: the recurring monitor with every
# host reachable, and with one silent host. Both agents publish through attrd_updater, which
# reaches pacemaker-attrd only from the cluster's network and mount namespaces: the run happens
# in a one-node cluster inside a namespace node, with the hosts on a peer node of its segment.
# usage: bench/ping.sh   (root, after `make install`; hyperfine, jq, fping)
# No `set -e`: the test harness sourced below is written for bats, which checks each step itself.
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=lib.bash
source bench/lib.bash
unset NODE_EXTRA_CA_CERTS

bench_stop() { cluster_stop b1; }
bench_nodes pg || exit 1

STOCK=/usr/lib/ocf/resource.d/pacemaker/ping
OURS=/usr/lib/ocf/resource.d/seapath/ping
[[ -x $OURS ]] || { echo "bench/ping.sh: $OURS is not installed (make install)" >&2; exit 1; }
REACHABLE="192.0.2.21 192.0.2.22 192.0.2.23"
SILENT=192.0.2.99 # on the segment, owned by nobody: requests leave, nothing answers

node_create b1 192.0.2.11/24 || exit 1
node_peer b1 bp 192.0.2.21/24 192.0.2.22/24 192.0.2.23/24 || exit 1
# A static neighbour entry keeps the silent host silent: no ARP failure turning into quick
# "host unreachable" errors that would end the wait early for both agents.
ip -n "$(node_netns b1)" neigh replace "$SILENT" lladdr 02:00:00:00:00:99 dev eth0 nud permanent || exit 1
cluster_start b1 >/dev/null || exit 1

# As pacemaker-execd runs a recurring monitor with the advertised timeout (60 s); each agent
# has its own attribute and instance. in_node would add a bash per run: nsenter directly.
in_b1=(nsenter -t "$(node_pid b1)" --net --mount --uts --)
agent_env() { # NAME HOSTS [KEY=VALUE...]
  local name=$1 hosts=$2 kv
  shift 2
  printf '%s ' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE="$name" \
    OCF_RESKEY_name="$name" OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_CRM_meta_timeout=60000 \
    OCF_RESKEY_multiplier=100 OCF_RESKEY_dampen=5s "OCF_RESKEY_host_list='$hosts'"
  for kv in "$@"; do printf 'OCF_RESKEY_%s ' "$kv"; done
}

# compare TITLE RUNS HOSTS [KEY=VALUE...]: starts both (so monitor does all its work), times the monitors, stops both
compare() {
  local title=$1 runs=$2 hosts=$3
  shift 3
  local stock ours
  stock="$(agent_env bench-stock "$hosts" "$@")$STOCK"
  ours="$(agent_env bench-seapath "$hosts" "$@")$OURS"
  "${in_b1[@]}" sh -c "$stock start && $ours start" >/dev/null 2>&1 || echo "(start failed for $title)" >&2
  bench_compare "$title" "$runs" "$stock monitor" "$ours monitor" "${in_b1[@]}"
  "${in_b1[@]}" sh -c "$stock stop; $ours stop" >/dev/null 2>&1
}

median_ms() { # TITLE INDEX(0 stock, 1 seapath)
  jq -r ".results[$2].median * 1000 | round" "$BENCH_OUT/$(tr -c 'a-zA-Z0-9' _ <<<"$1").json"
}

echo "### ping vs ocf:pacemaker:ping (fping $(fping -v 2>&1 | awk '{print $3}'), monitor, 1-node cluster in a namespace, same run)"
echo
bench_machine
echo
bench_header
compare "3 hosts reachable, defaults (target ≤ 2.0×)" 30 "$REACHABLE"
compare "1 of 4 hosts silent, timeout=1 (target ≤ 1.15 × timeout, below stock)" 10 "$REACHABLE $SILENT" timeout=1
# Unset, both agents compute the timeout as op timeout / hosts / attempts / 1.1 s = 4 s here;
# fping in the stock agent then waits 4 × 1.33 s, this agent 4 s once for all hosts.
compare "1 of 4 hosts silent, timeout unset (computed: 4 s)" 3 "$REACHABLE $SILENT"
echo
ours_t1=$(median_ms "1 of 4 hosts silent, timeout=1 (target ≤ 1.15 × timeout, below stock)" 1)
ours_default=$(median_ms "1 of 4 hosts silent, timeout unset (computed: 4 s)" 1)
echo "Silent host: this agent waits \`timeout\` once for all hosts;" \
  "the stock agent waits (attempts+1)/attempts × timeout (fping -r attempts)."
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "ping / its timeout: timeout=1: ${ours_t1} / 1000 ms = $(ratio "$ours_t1" 1000)×;" \
  "unset: ${ours_default} / 4000 ms = $(ratio "$ours_default" 4000)× (target ≤ 1.15×)"
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
