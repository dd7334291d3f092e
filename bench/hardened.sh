#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The shipped executable (V8 --jitless, so it runs under MemoryDenyWriteExecute) against the JIT
# build it replaces, and the cost of the hardening itself (the same binary under lab/harden), one
# run, for what the side-by-side benches leave out: every agent's meta-data and fence_outscale off
# (against the simulator, in a network namespace of its own). The JIT build cannot run hardened.
# usage: bench/hardened.sh   (make bench: needs make install, dist/seapath-agents-jit, dist/harden)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.bash
unset NODE_EXTRA_CA_CERTS
: "${BENCH_JIT:?bench/hardened.sh: BENCH_JIT unset: run it through bench/run.sh (make bench)}"
harden=$PWD/dist/harden
[ -x "$harden" ] || { echo "bench/hardened.sh: $harden missing (make harden)" >&2; exit 1; }

bench_netns_sim hardened-bench
ns=$BENCH_NS tmp=$BENCH_TMP

echo "### The jitless executable vs the JIT build it replaces, and under the hardening (same run)"
echo
bench_machine
echo
echo "| what | jitless ms | JIT ms | jitless/JIT wall | jitless under lab/harden ms |" \
  "jitless cpu ms | JIT cpu ms | jitless/JIT cpu | hardened cpu ms |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"

# TITLE RUNS SHELL(0|1) [--prepare CMD] -- CMD (installed path; the JIT and hardened variants are derived)
row() {
  local title=$1 runs=$2 shell=$3 json
  shift 3
  local -a prep=()
  [ "$1" != --prepare ] || { prep=(--prepare "$2"); shift 2; }
  shift # --
  local ours=$*
  local jitcmd hardcmd
  jitcmd=$(_bench_jit_cmd "$ours")
  hardcmd=$(sed -e "s|/usr/lib/ocf/resource.d/seapath/|$harden &|g" -e "s|/usr/sbin/fence_outscale|$harden &|g" <<<"$ours")
  json=$tmp/$(tr -c 'a-zA-Z0-9' _ <<<"$title").json
  local -a mode=(-N)
  [ "$shell" = 0 ] || mode=()
  hyperfine "${mode[@]}" --style none --warmup 3 --runs "$runs" "${prep[@]}" --export-json "$json" \
    "$ours" "$jitcmd" "$hardcmd" >/dev/null 2>&1 || { echo "| $title | hyperfine failed | | | | | | | |"; return 0; }
  jq -r --arg t "$title" '
    def ms: . * 1000 * 10 | round / 10;
    def ratio($a; $b): (($a / $b * 100 | round) / 100 | tostring) + "×";
    .results as $r
    | [$r[] | .median | ms] as $w | [$r[] | (.user + .system) | ms] as $c
    | "| \($t) | \($w[0]) | \($w[1]) | \(ratio($w[0]; $w[1])) | \($w[2]) |"
      + " \($c[0]) | \($c[1]) | \(ratio($c[0]; $c[1])) | \($c[2]) |"' "$json"
}

for a in vip ping vm; do
  row "$a meta-data" 40 0 -- /usr/lib/ocf/resource.d/seapath/$a meta-data
done
row "fence_outscale metadata" 40 0 -- /usr/sbin/fence_outscale -o metadata

# fence_outscale off as pacemaker-fenced runs it (options on stdin), against a VM that stops at
# once, polled every 0.1 s: the agent's own cost, not the cloud's.
ak=AKBENCH000000001 sk=SKBENCHsecret000000000000000000000000001
SIM_SECRET_KEY=$sk sim_config "$ak" '
  .timings = {stopMs: 0, forceStopMs: 0, startMs: 0}
  | .vms = [{vmId: "i-0000b001", state: "running", tags: {Name: "victim"}},
            {vmId: "i-0000b002", state: "stopped", tags: {Name: "already-off"}}]
  | .metadata = {instanceId: "i-0000beef"}' >"$tmp/sim.json"
sim_start "$tmp/sim.json" >/dev/null
url=$SIM_URL
for vm in victim already-off; do
  printf '%s\n' action=off "port=$vm" "endpoint=$url/api/v1" "metadata_url=$url/latest/meta-data" \
    "access_key=$ak" "secret_key=$sk" region=eu-west-2 stonith_status_sleep=0.1 >"$tmp/$vm.in"
done
# The wall time of the first is bimodal (one more 0.1 s status poll when the simulator's stop
# lands just after a read), whatever the build: compare CPU; the second is deterministic.
row "fence_outscale off (VM stops at once)" 40 1 --prepare "ip netns exec $ns curl -sS --fail -X POST $url/_sim/reset" -- \
  ip netns exec "$ns" env PCMK_service=pacemaker-fenced /usr/sbin/fence_outscale "<" "$tmp/victim.in"
row "fence_outscale off (VM already stopped)" 40 1 -- \
  ip netns exec "$ns" env PCMK_service=pacemaker-fenced /usr/sbin/fence_outscale "<" "$tmp/already-off.in"
echo
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
