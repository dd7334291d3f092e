# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# shellcheck shell=bash
# Helpers for fence-outscale*.bats: the Outscale API simulator and the installed agent, both
# inside one test node (its own network namespace), so that even a wrong default endpoint
# (the real API, 169.254.169.254) cannot leave the machine.
#
#   fo_config JQ_FILTER ...   a simulator configuration for the FO_AK/FO_SK account (sim_config of sim.bash)
#   fo_setup NODE CONFIG      node_create NODE, start the simulator (and its HTTP proxy listener) in it
#                             (sim_start); exports FO_NODE FO_SIM_URL FO_API FO_MD FO_PROXY. node_teardown ends it.
#   fo_agent LINE...          run /usr/sbin/fence_outscale in the node as pacemaker-fenced does: no argv,
#                             the connection options then LINE... on stdin (later lines win), PCMK_service set.
#                             FO_ENV=(K=V ...) adds environment; FO_KILL_AFTER=S SIGKILLs it after S seconds.
#   fo_fails_with TEXT LINE...  `run --separate-stderr fo_agent LINE...`, then fails unless it exited 1 with TEXT in stderr
#   fo_sim METHOD PATH [JSON] a control call to the simulator (sim_call: /_sim/log, /_sim/vms, /_sim/faults, /_sim/reset)
#   fo_requests [OPERATION]   the request log as JSON lines {op,status,body,auth,violations}
#   fo_vm_state VMID          the simulator's current state of a VM
#   fo_assert_schema_clean    fails if the simulator recorded any request that breaks the spec's schemas

FO_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../../lab/outscale-sim/sim.bash
source "$FO_REPO/lab/outscale-sim/sim.bash"
FO_AK=AKSIMFENCE000001
FO_SK=SKSIMFENCEsecret0000000000000000000000001

fo_setup() {
  FO_NODE=${1:?usage: fo_setup NODE CONFIG}
  local config=${2:?usage: fo_setup NODE CONFIG}
  node_create "$FO_NODE" || return 1
  SIM_EXEC="in_node $FO_NODE" SIM_DIR=$(node_dir "$FO_NODE") || return 1
  export SIM_EXEC SIM_DIR
  SIM_PROXY=1 sim_start "$config" >/dev/null || return 1
  FO_PROXY=$SIM_PROXY_URL
  FO_SIM_URL=$SIM_URL
  FO_API=$SIM_API_URL
  FO_MD=$SIM_METADATA_URL
  export FO_NODE FO_SIM_URL FO_API FO_MD FO_PROXY
}

fo_sim() { sim_call "$@"; }

# fo_config JQ_FILTER [JQ_ARGS...]: a simulator configuration for the FO_AK/FO_SK account (sim_config).
fo_config() { SIM_SECRET_KEY=$FO_SK sim_config "$FO_AK" "$@"; }

fo_agent() {
  local input
  input=$(printf '%s\n' "endpoint=$FO_API" "metadata_url=$FO_MD" "access_key=$FO_AK" "secret_key=$FO_SK" \
    "region=eu-west-2" "stonith_status_sleep=0.2" "$@")
  local killer=()
  [[ -z ${FO_KILL_AFTER:-} ]] || killer=(timeout -s KILL "$FO_KILL_AFTER")
  in_node "$FO_NODE" env -u NODE_EXTRA_CA_CERTS PCMK_service=pacemaker-fenced "${FO_ENV[@]}" \
    "${killer[@]}" "${OCF_WRAPPER[@]}" /usr/sbin/fence_outscale <<<"$input"
}

fo_fails_with() {
  local text=$1
  shift
  run --separate-stderr fo_agent "$@"
  # shellcheck disable=SC2154 # status and stderr are set by bats' run
  [[ $status -eq 1 && $stderr == *"$text"* ]] || { echo "exit $status, stderr: $stderr (expected 1 and '$text')"; return 1; }
}

fo_requests() {
  local filter='.[]'
  [[ -z ${1:-} ]] || filter=".[] | select(.operation == \"$1\")"
  fo_sim GET /_sim/log | jq -c "$filter | {op: .operation, status, body, auth, violations: (.schemaViolations // [] | length)}"
}

fo_vm_state() {
  fo_sim GET /_sim/vms | jq -r --arg id "$1" '.[] | select(.vmId == $id) | .state'
}

fo_assert_schema_clean() {
  local bad
  bad=$(fo_sim GET /_sim/log | jq -c '[.[] | select((.schemaViolations // []) | length > 0) | {op: .operation, v: .schemaViolations}]')
  [[ $bad == '[]' ]] || { echo "requests that break the spec's schemas: $bad" >&2; return 1; }
}
