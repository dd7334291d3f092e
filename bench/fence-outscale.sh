#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# fence_outscale timings against the Outscale API simulator, inside a network namespace of its own
# (nothing can reach a real address). Prints figures; asserts nothing (tests do that).
#   1. off against a VM that takes T s to stop (ForceStop): the agent should return within T + 1 s.
#   2. off with three 429 answers injected first: it should still succeed, well within power_timeout.
#   3. monitor against an API that never answers, default options (shell_timeout 10, api_retries 4): it must
#      give up before Pacemaker's default 20 s operation timeout.
# usage: bench/fence-outscale.sh [RUNS]     (needs `make install`; uses hyperfine, jq, curl)
#   FENCE_OUTSCALE_CMD="node old.cjs fence_outscale" measures another build the same way (before/after figures).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
agent=/usr/sbin/fence_outscale
[ -n "${FENCE_OUTSCALE_CMD:-}" ] || [ -x "$agent" ] || { echo "bench: $agent is missing: run make install" >&2; exit 1; }
agent=${FENCE_OUTSCALE_CMD:-$agent}
for tool in hyperfine jq curl; do command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }; done
# shellcheck source=lib.bash
source bench/lib.bash
bench_netns_sim fo-bench
ns=$BENCH_NS tmp=$BENCH_TMP
unset NODE_EXTRA_CA_CERTS # it slows every node start (see .notes/HELPERS.md)

ak=AKBENCH000000001
sk=SKBENCHsecret000000000000000000000000001
stop_seconds=(1 3 5)
# shellcheck disable=SC2016 # a jq program
SIM_SECRET_KEY=$sk sim_config "$ak" '
  .timings = {stopMs: 30000, forceStopMs: 1000, startMs: 1000}
  | .vms = [($ARGS.positional[] | tonumber | {vmId: "i-0000b00\(.)", state: "running", tags: {Name: "stop-\(.)s"},
                                              timings: {forceStopMs: (. * 1000)}}),
            {vmId: "i-0000b0ff", state: "running", tags: {Name: "throttled"}, timings: {forceStopMs: 1000}}]
  | .metadata = {instanceId: "i-0000beef"}' --args -- "${stop_seconds[@]}" >"$tmp/sim.json"
sim_start "$tmp/sim.json" >/dev/null
url=$SIM_URL
# hyperfine's --prepare commands: a simulator reset, then the faults of a case
post="ip netns exec $ns curl -sS --fail -X POST"
post_json="$post -H 'Content-Type: application/json' --data"

# Options as pacemaker-fenced sends them, with the defaults a user gets (stonith_status_sleep=1, power_timeout=40).
input() {
  printf '%s\n' action=off "port=$1" "nodename=$1" "endpoint=$url/api/v1" "metadata_url=$url/latest/meta-data" \
    "access_key=$ak" "secret_key=$sk" region=eu-west-2 >"$tmp/$1.in"
}

echo "fence_outscale off, $runs runs each, agent and simulator in netns $ns (PCMK_service=pacemaker-fenced)"
printf '%-34s %9s %9s %9s %9s  %s\n' case mean_s min_s max_s bound_s within
report() { # name bound json
  jq -r --arg name "$1" --argjson bound "$2" '.results[0] |
    [$name, (.mean|.*1000|round/1000), (.min|.*1000|round/1000), (.max|.*1000|round/1000), $bound,
     (if .max <= $bound then "yes" else "NO" end)] | @tsv' "$3" |
    awk -F'\t' '{ printf "%-34s %9s %9s %9s %9s  %s\n", $1, $2, $3, $4, $5, $6 }'
}

for t in "${stop_seconds[@]}"; do
  input "stop-${t}s"
  hyperfine --style none --runs "$runs" --export-json "$tmp/t$t.json" \
    --prepare "$post $url/_sim/reset" \
    "ip netns exec $ns env PCMK_service=pacemaker-fenced $agent < $tmp/stop-${t}s.in" >/dev/null
  report "VM stops in ${t} s (bound T+1)" "$((t + 1))" "$tmp/t$t.json"
done

input throttled
faults='{"operations":{"*":{"failures":{"count":3,"status":429,"code":"25"}}}}'
hyperfine --style none --runs "$runs" --export-json "$tmp/429.json" \
  --prepare "$post $url/_sim/reset && $post_json '$faults' $url/_sim/faults" \
  "ip netns exec $ns env PCMK_service=pacemaker-fenced $agent < $tmp/throttled.in" >/dev/null
report "three 429 first (power_timeout 40)" 40 "$tmp/429.json"

printf '%s\n' action=monitor "endpoint=$url/api/v1" "access_key=$ak" "secret_key=$sk" region=eu-west-2 >"$tmp/monitor.in"
hyperfine --style none --runs 2 --export-json "$tmp/silent.json" -i \
  --prepare "$post $url/_sim/reset && $post_json '{\"hang\":\"forever\"}' $url/_sim/faults" \
  "ip netns exec $ns env PCMK_service=pacemaker-fenced $agent < $tmp/monitor.in" >/dev/null
report "monitor, API never answers (exit 1)" 20 "$tmp/silent.json"
sim_reset >/dev/null
echo "(hyperfine exits non-zero if a run failed; every off above exited 0; the silent-API monitor exits 1 by design)"
