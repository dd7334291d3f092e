#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# ocf:seapath:ping against ocf:pacemaker:ping (with fping), side by side on the same hosts, in one
# run: a one-node cluster in a namespace node (both agents need its pacemaker-attrd, reachable only
# from the same network namespace), hosts on a peer node of the same segment, and one silent host.
# Prints the monitor's wall time for both agents and the ratio seapath/stock, per case.
# usage: bench/ping.sh            (root; after `make install`; needs hyperfine, jq, fping)
# No `set -e`: the test harness sourced below is written for bats, which checks each step itself.
cd "$(dirname "$0")/.." || exit 1
unset NODE_EXTRA_CA_CERTS # slows every node start; pacemaker-execd does not set it

scratch=$(mktemp -d /tmp/bench-ping.XXXXXX)
export NODE_SCRATCH_ROOT=$scratch NODE_OWNER_PID=$$
# shellcheck source=../test/integration/helpers/cluster.bash
source test/integration/helpers/cluster.bash
node_setup pg || exit 1
cleanup() {
  cluster_stop b1 >/dev/null 2>&1 || true
  node_teardown
  rm -rf "$scratch"
}
trap cleanup EXIT

REACHABLE="192.0.2.21 192.0.2.22 192.0.2.23"
SILENT=192.0.2.99 # on the segment, owned by nobody: requests leave, nothing answers
node_create b1 192.0.2.11/24 || exit 1
node_peer b1 bp 192.0.2.21/24 192.0.2.22/24 192.0.2.23/24 || exit 1
# A static neighbour entry, so the silent host stays silent (no ARP failure turning into
# "host unreachable" errors that end the wait early for both agents).
ip -n "$(node_netns b1)" neigh replace "$SILENT" lladdr 02:00:00:00:00:99 dev eth0 nud permanent || exit 1
cluster_start b1 >/dev/null || exit 1

STOCK=/usr/lib/ocf/resource.d/pacemaker/ping
OURS=/usr/lib/ocf/resource.d/seapath/ping
[[ -x $OURS ]] || { echo "bench/ping.sh: $OURS is not installed (make install)" >&2; exit 1; }

# env for one agent, as pacemaker-execd runs a recurring monitor of the advertised timeout (60 s)
agent_env() { # INSTANCE HOSTS [KEY=VALUE...]
  local instance=$1 hosts=$2
  shift 2
  printf "env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=%s OCF_RESKEY_name=%s \
OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_CRM_meta_timeout=60000 OCF_RESKEY_multiplier=100 OCF_RESKEY_dampen=5s \
OCF_RESKEY_host_list='%s'" "$instance" "$instance" "$hosts"
  local kv
  for kv in "$@"; do printf ' OCF_RESKEY_%s' "$kv"; done
}

# bench_case TITLE RUNS WARMUP HOSTS [KEY=VALUE...]: prints one line per agent and the ratio
bench_case() {
  local title=$1 runs=$2 warmup=$3 hosts=$4 json=$scratch/case.json
  shift 4
  local stock_cmd ours_cmd
  stock_cmd="$(agent_env bstock "$hosts" "$@") $STOCK monitor"
  ours_cmd="$(agent_env bseapath "$hosts" "$@") $OURS monitor"
  # started first, so that monitor does its whole work (probe and publish)
  in_cluster b1 sh -c "${stock_cmd% monitor} start && ${ours_cmd% monitor} start" >/dev/null 2>&1
  in_cluster b1 hyperfine -N --style none --runs "$runs" --warmup "$warmup" --export-json "$json" \
    -n stock "$stock_cmd" -n seapath "$ours_cmd" >/dev/null || { echo "bench/ping.sh: hyperfine failed" >&2; exit 1; }
  in_cluster b1 sh -c "${stock_cmd% monitor} stop; ${ours_cmd% monitor} stop" >/dev/null 2>&1
  local s o
  s=$(jq -r '.results[] | select(.command == "stock") | "\(.mean) \(.stddev) \(.min) \(.max)"' "$json")
  o=$(jq -r '.results[] | select(.command == "seapath") | "\(.mean) \(.stddev) \(.min) \(.max)"' "$json")
  LAST_STOCK_MS=$(awk -v s="$s" 'BEGIN { split(s, a, " "); printf "%.1f", a[1]*1000 }')
  LAST_OURS_MS=$(awk -v o="$o" 'BEGIN { split(o, b, " "); printf "%.1f", b[1]*1000 }')
  awk -v t="$title" -v runs="$runs" -v s="$s" -v o="$o" 'BEGIN {
    split(s, a, " "); split(o, b, " ")
    printf "%s (%d runs)\n", t, runs
    printf "  ocf:pacemaker:ping  %8.1f ms ± %6.1f  (min %.1f, max %.1f)\n", a[1]*1000, a[2]*1000, a[3]*1000, a[4]*1000
    printf "  ocf:seapath:ping    %8.1f ms ± %6.1f  (min %.1f, max %.1f)\n", b[1]*1000, b[2]*1000, b[3]*1000, b[4]*1000
    printf "  ratio seapath/stock %8.2f (means), %.2f (mins)\n", b[1]/a[1], b[3]/a[3]
  }'
}

echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), kernel $(uname -r)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "fping $(fping -v 2>&1 | awk '{print $3}'), $(hyperfine --version), seapath-agents $(stat -c %s /usr/lib/seapath-agents/seapath-agents | awk '{printf "%d MiB", $1/1048576}')"
echo
bench_case "all 3 hosts reachable, defaults (target: ratio <= 2.0)" 30 5 "$REACHABLE"
bench_case "1 of 4 hosts silent, timeout=1, attempts=3 (target: ratio <= 0.25)" 10 1 "$REACHABLE $SILENT" timeout=1
ours_timeout1_ms=$LAST_OURS_MS
# Unset, the stock agent computes timeout = op timeout / hosts / attempts / 1.1 s (here 4 s, so
# fping waits 4 x 1.33 s); this agent applies the documented default, 2 s, for all hosts at once.
bench_case "1 of 4 hosts silent, both agents at their default timeout" 3 0 "$REACHABLE $SILENT"
awk -v o="$ours_timeout1_ms" -v s="$LAST_STOCK_MS" 'BEGIN {
  printf "cross-check: seapath at timeout=1 / stock at its default timeout = %.1f / %.1f ms = %.2f\n", o, s, o / s }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
