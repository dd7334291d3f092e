# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# shellcheck shell=bash
# Side-by-side timing helpers for bench/*.sh: hyperfine runs both commands in one session,
# alternating, with NODE_EXTRA_CA_CERTS unset; we print medians of wall time, mean CPU and ratios.
#
#   bench_compare TITLE RUNS STOCK_CMD OURS_CMD [PREFIX...]
#       PREFIX (e.g. `ip netns exec NS env -i VAR=…`) is prepended to both commands.
#       Prints a markdown row: | TITLE | stock wall | ours wall | ratio | stock cpu | ours cpu | ratio |
#   BENCH_JIT=DIR (bench/run.sh sets it): DIR holds links named like the agents to the V8 JIT build
#       the shipped jitless one replaces; OURS_CMD is then also timed with it, in the same
#       hyperfine session, and each row gets | JIT wall | JIT cpu | jitless/JIT wall | jitless/JIT cpu |.

#   bench_nodes PREFIX
#       Namespace nodes of the bench's own (lab/lib/node.bash, prefix PREFIX) in a scratch dir (BENCH_SCRATCH),
#       owned by this shell; at exit, bench_stop (if the bench defines it) stops what runs in them, then the
#       nodes and the scratch dir go.
#   bench_netns_sim NAME
#       A scratch dir and a network namespace of their own (NAME-PID, lo up), both removed at exit with
#       the simulator: `sim_start CONFIG` (sim.bash) then runs the Outscale simulator in that namespace.
#       Sets BENCH_NS and BENCH_TMP.

BENCH_OUT=${BENCH_OUT:-/tmp/seapath-bench}
mkdir -p "$BENCH_OUT"
# shellcheck source=../lab/outscale-sim/sim.bash
source "$(dirname "${BASH_SOURCE[0]}")/../lab/outscale-sim/sim.bash"
# shellcheck source=../lab/lib/cluster.bash
source "$(dirname "${BASH_SOURCE[0]}")/../lab/lib/cluster.bash"

bench_nodes() {
  local prefix=${1:?usage: bench_nodes PREFIX}
  BENCH_SCRATCH=$(mktemp -d "/tmp/bench-$prefix.XXXXXX") || return
  export NODE_SCRATCH_ROOT=$BENCH_SCRATCH NODE_OWNER_PID=$$
  trap _bench_nodes_cleanup EXIT
  node_setup "$prefix"
}

_bench_nodes_cleanup() {
  [[ $(type -t bench_stop) != function ]] || bench_stop >/dev/null 2>&1
  node_teardown
  rm -rf "$BENCH_SCRATCH"
}

bench_netns_sim() {
  BENCH_NS=${1:?usage: bench_netns_sim NAME}-$$
  BENCH_TMP=$(mktemp -d)
  trap _bench_netns_sim_cleanup EXIT
  ip netns add "$BENCH_NS" && ip -n "$BENCH_NS" link set lo up || return
  export SIM_EXEC="ip netns exec $BENCH_NS" SIM_DIR=$BENCH_TMP
}

_bench_netns_sim_cleanup() {
  sim_stop
  ip netns del "$BENCH_NS" 2>/dev/null || true
  rm -rf "$BENCH_TMP"
}

bench_header() {
  local head="| what | stock median ms | ours median ms | wall ratio | stock cpu ms | ours cpu ms | cpu ratio |"
  if [[ -n ${BENCH_JIT:-} ]]; then
    echo "$head JIT build ms | JIT cpu ms | jitless/JIT wall | jitless/JIT cpu |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    return
  fi
  echo "$head"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
}

# OURS_CMD with the installed agent's path replaced by the JIT build's link of the same name.
_bench_jit_cmd() {
  sed -e "s|/usr/lib/ocf/resource.d/seapath/|$BENCH_JIT/|g" -e "s|/usr/sbin/fence_outscale|$BENCH_JIT/fence_outscale|g" <<<"$1"
}

bench_compare() {
  local title=$1 runs=$2 stock=$3 ours=$4
  shift 4
  local prefix="$*" json
  json="$BENCH_OUT/$(tr -c 'a-zA-Z0-9' _ <<<"$title").json"
  local -a cmds=("$prefix $stock" "$prefix $ours")
  [[ -z ${BENCH_JIT:-} ]] || cmds+=("$prefix $(_bench_jit_cmd "$ours")")
  env -u NODE_EXTRA_CA_CERTS hyperfine -N --style none --warmup 5 --runs "$runs" -i --export-json "$json" \
    "${cmds[@]}" >/dev/null 2>&1 || { echo "| $title | hyperfine failed | | | | | |"; return 1; }
  jq -r --arg t "$title" '
    def ms: . * 1000 * 10 | round / 10;
    def ratio($a; $b): (($a / $b * 100 | round) / 100 | tostring) + "×";
    .results as $r
    | ($r[0].median | ms) as $sw | ($r[1].median | ms) as $ow
    | (($r[0].user + $r[0].system) | ms) as $sc | (($r[1].user + $r[1].system) | ms) as $oc
    | "| \($t) | \($sw) | \($ow) | \(ratio($ow; $sw)) | \($sc) | \($oc) | \(ratio($oc; $sc)) |"
      + (if ($r | length) > 2 then
           ($r[2].median | ms) as $jw | (($r[2].user + $r[2].system) | ms) as $jc
           | " \($jw) | \($jc) | \(ratio($ow; $jw)) | \(ratio($oc; $jc)) |"
         else "" end)' "$json"
}

bench_machine() {
  local memory cpu
  memory=$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)
  cpu=$(awk -F: '/model name/ { sub(/^ /, "", $2); print $2; exit }' /proc/cpuinfo)
  echo "Machine: $(nproc) cores, $memory, $cpu, kernel $(uname -r), $(date -u +%Y-%m-%d)"
  echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}
