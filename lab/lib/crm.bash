# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Queries on crm_mon's XML, for the lab, its demo and benches, and the tests (cluster.bash sources
# this file; in_cluster comes from there).
#
#   crm_xpath XPATH                  XPath on XML read from stdin; prints the result ("" on error)
#   crm_mon_xml [NODE...]            crm_mon -1 --inactive --include=attributes --output-as=xml from
#                                    the first NODE that answers within 10 s (default: $CRM_NODES,
#                                    else node1 node2 node3: the lab's)
#   crm_picture [NODE...]            crm_mon -1's node list, resources and failures as text, from the
#                                    first NODE that answers: what to print when a scenario went wrong
#   crm_where_is RSC                 the node where RSC is Started and not failed ("" if none)
#   crm_wait_where RSC TIMEOUT_S     that node, once there is one (fails after TIMEOUT_S)
#   crm_started_on RSC NODE          RSC is Started on NODE
#   crm_started_anywhere RSC         RSC is Started somewhere
#   crm_started_elsewhere_than RSC NODE
#   crm_node_online NODE             crm_mon shows NODE online
#   crm_node_offline NODE            crm_mon shows NODE offline (known to the cluster, not online)
#   crm_online_count                 how many nodes crm_mon shows online
# CRM_NODES="n1 n2" (env) picks the nodes asked, e.g. `CRM_NODES=node2 crm_where_is vm1` to ask node2 only.

crm_xpath() { xmllint --xpath "$1" - 2>/dev/null; }

crm_mon_xml() {
  local n
  # shellcheck disable=SC2086 # a list of node names
  (($#)) || set -- ${CRM_NODES:-node1 node2 node3}
  for n in "$@"; do
    in_cluster "$n" timeout --kill-after=5 10 crm_mon -1 --inactive --include=attributes --output-as=xml 2>/dev/null && return 0
  done
  return 1
}

crm_picture() {
  local n
  # shellcheck disable=SC2086 # a list of node names
  (($#)) || set -- ${CRM_NODES:-node1 node2 node3}
  for n in "$@"; do
    in_cluster "$n" timeout --kill-after=5 10 crm_mon -1 --include=failcounts 2>/dev/null | sed -n '/^Node List:/,$p' | grep . && return 0
  done
  echo "crm_mon answered on none of: $*"
}

# A start still running shows as role Started with pending="Starting" (record-pending): not started yet.
crm_where_is() {
  crm_mon_xml | crm_xpath \
    "string(//resource[@id='${1:?usage: crm_where_is RSC}' and @role='Started' and @failed='false' and not(@pending)]/node/@name)"
}
# The node RSC is Started on, once crm_mon shows one within TIMEOUT_S: during a transition (a
# restart, a start still pending) it shows none, even just after crm_started_anywhere succeeded.
crm_wait_where() {
  local rsc=${1:?usage: crm_wait_where RSC TIMEOUT_S} timeout=${2:?usage: crm_wait_where RSC TIMEOUT_S} deadline on
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    on=$(crm_where_is "$rsc")
    [[ -n $on ]] && { printf '%s\n' "$on"; return 0; }
    sleep 0.2
  done
  printf 'timeout after %ss waiting for %s to be Started\n' "$timeout" "$rsc" >&2
  return 1
}
crm_started_on() { [[ $(crm_where_is "$1") == "${2:?usage: crm_started_on RSC NODE}" ]]; }
crm_started_anywhere() { [[ -n $(crm_where_is "$1") ]]; }
crm_started_elsewhere_than() {
  local where
  where=$(crm_where_is "$1")
  [[ -n $where && $where != "${2:?usage: crm_started_elsewhere_than RSC NODE}" ]]
}
crm_node_online() {
  [[ $(crm_mon_xml | crm_xpath "string(//nodes/node[@name='${1:?usage: crm_node_online NODE}']/@online)") == true ]]
}
crm_node_offline() {
  [[ $(crm_mon_xml | crm_xpath "string(//nodes/node[@name='${1:?usage: crm_node_offline NODE}']/@online)") == false ]]
}
crm_online_count() { crm_mon_xml | crm_xpath "count(//nodes/node[@online='true'])"; }
