# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Running an installed OCF agent the way pacemaker-execd does: a clean environment, the
# action as the only argument, parameters as OCF_RESKEY_*.
#
#   ocf_agent NODE AGENT ACTION [name=value ...] [CRM_meta_x=value ...]
#       runs /usr/lib/ocf/resource.d/seapath/AGENT ACTION inside NODE (see node.bash);
#       OCF_RESOURCE_INSTANCE is $OCF_INSTANCE (default: AGENT-test), HA_RSCTMP is the node's
#       private /run/resource-agents. Use with bats' `run` to get $status and $output.
#   ocf_exit_reason     prints the last ocf-exit-reason of $output (after `run ocf_agent …`)
#   OCF_WRAPPER=(CMD ARG...)  runs the agent under CMD (e.g. the hardening wrapper dist/harden);
#                       also honoured by vm_agent and fo_agent

OCF_PATH=/usr/sbin:/usr/bin:/sbin:/bin

ocf_agent() {
  local node=$1 agent=$2 action=$3 kv
  shift 3
  local -a env=("PATH=$OCF_PATH" OCF_ROOT=/usr/lib/ocf OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1
    OCF_RESOURCE_INSTANCE="${OCF_INSTANCE:-$agent-test}" OCF_RESOURCE_TYPE="$agent" OCF_RESOURCE_PROVIDER=seapath
    OCF_EXIT_REASON_PREFIX=ocf-exit-reason: OCF_RESKEY_CRM_meta_timeout="${OCF_TIMEOUT_MS:-20000}")
  for kv in "$@"; do
    case $kv in
      OCF_CHECK_LEVEL=*) env+=("$kv") ;;
      *) env+=("OCF_RESKEY_$kv") ;;
    esac
  done
  in_node "$node" env -i "${env[@]}" "${OCF_WRAPPER[@]}" "/usr/lib/ocf/resource.d/seapath/$agent" "$action"
}

ocf_exit_reason() {
  # shellcheck disable=SC2154 # $output is set by bats' run
  grep '^ocf-exit-reason:' <<<"$output" | tail -n 1 | sed 's/^ocf-exit-reason://'
}
