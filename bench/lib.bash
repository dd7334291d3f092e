# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Side-by-side timing helpers for bench/*.sh: hyperfine runs both commands in one session,
# alternating, with NODE_EXTRA_CA_CERTS unset; we print medians of wall time, mean CPU and ratios.
#
#   bench_compare TITLE RUNS STOCK_CMD OURS_CMD [PREFIX...]
#       PREFIX (e.g. `ip netns exec NS env -i VAR=…`) is prepended to both commands.
#       Prints a markdown row: | TITLE | stock wall | ours wall | ratio | stock cpu | ours cpu | ratio |

BENCH_OUT=${BENCH_OUT:-/tmp/seapath-bench}
mkdir -p "$BENCH_OUT"

bench_header() {
  echo "| what | stock median ms | ours median ms | wall ratio | stock cpu ms | ours cpu ms | cpu ratio |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
}

bench_compare() {
  local title=$1 runs=$2 stock=$3 ours=$4
  shift 4
  local prefix="$*" json
  json="$BENCH_OUT/$(tr -c 'a-zA-Z0-9' _ <<<"$title").json"
  env -u NODE_EXTRA_CA_CERTS hyperfine -N --style none --warmup 5 --runs "$runs" -i --export-json "$json" \
    "$prefix $stock" "$prefix $ours" >/dev/null 2>&1 || { echo "| $title | hyperfine failed | | | | | |"; return 1; }
  jq -r --arg t "$title" '
    def ms: . * 1000 * 10 | round / 10;
    .results as $r
    | ($r[0].median | ms) as $sw | ($r[1].median | ms) as $ow
    | (($r[0].user + $r[0].system) | ms) as $sc | (($r[1].user + $r[1].system) | ms) as $oc
    | "| \($t) | \($sw) | \($ow) | \(($ow / $sw * 100 | round) / 100)× | \($sc) | \($oc) | \(($oc / $sc * 100 | round) / 100)× |"' "$json"
}

bench_machine() {
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r), $(date -u +%Y-%m-%d)"
  echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}
