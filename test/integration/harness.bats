#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# integration-lane: side
#
# Self-test of the shared harness (lab/lib/node.bash, lab/lib/cluster.bash): nodes
# are isolated namespaces on a private segment, a real one-node Pacemaker cluster
# runs in a node, two clusters run side by side, and teardown leaves nothing.

load ../../lab/lib/cluster

setup_file() {
  node_setup hx
}

setup() {
  host_links_before=$(ip -o link show | awk -F': ' '{ print $2 }' | sort)
}

teardown() {
  proc_thaw seapath-harness-frozen # a frozen process would outlive node_teardown
  node_teardown
  # Whatever a test did, the host's interfaces are the ones it had before.
  [ "$(ip -o link show | awk -F': ' '{ print $2 }' | sort)" = "$host_links_before" ]
}

# The node's namespace name is gone, the given pids are dead, and no mount of the
# node's scratch dir is visible on the host.
assert_node_gone() {
  local name=$1 pid
  shift
  ! ip netns list | grep -q "^$(node_netns "$name")\b" || { echo "netns of $name left"; return 1; }
  for pid in "$@"; do
    ! proc_alive "$pid" || { echo "process $pid of $name still alive: $(tr '\0' ' ' <"/proc/$pid/cmdline")"; return 1; }
  done
  ! grep -qF "$(node_dir "$name")" /proc/self/mountinfo || { echo "mounts of $name visible on the host"; return 1; }
}

@test "a node has its own hostname, interfaces, /run and /sys, and a peer on its segment reaches it" {
  node_create n1 192.0.2.11/24 2001:db8::11/64
  node_peer n1 p1 192.0.2.99/24 2001:db8::99/64

  [ "$(in_node n1 hostname)" = n1 ]
  [ "$(in_node p1 hostname)" = p1 ]
  [ "$(in_node n1 ls /sys/class/net | sort | tr '\n' ' ')" = "eth0 lo " ]
  in_node n1 ip -4 -o addr show dev eth0 | grep -q 'inet 192.0.2.11/24'

  run in_node p1 ping -c 1 -W 2 192.0.2.11
  [ "$status" -eq 0 ]
  run in_node p1 ping -c 1 -W 2 2001:db8::11
  [ "$status" -eq 0 ]
  run in_node p1 arping -c 1 -w 2 -I eth0 192.0.2.11
  [ "$status" -eq 0 ]
  # The peer learnt n1's MAC: the L2 neighbour a floating-IP test looks at.
  mac=$(in_node n1 cat /sys/class/net/eth0/address)
  in_node p1 ip neigh show 192.0.2.11 dev eth0 | grep -q "lladdr $mac"

  # A background capture on the peer sees n1's gratuitous ARP.
  capture=$BATS_TEST_TMPDIR/arp.txt
  node_spawn p1 "$capture" tcpdump -l -n -i eth0 arp >/dev/null
  wait_until 10 "tcpdump listening in p1" grep -q "listening on eth0" "$capture"
  in_node n1 arping -U -c 2 -I eth0 192.0.2.11 >/dev/null
  wait_until 5 "gratuitous ARP of 192.0.2.11 seen by p1" grep -q "192.0.2.11" "$capture"

  # Private /run and /var/lib/pacemaker: invisible on the host and in other nodes.
  in_node n1 touch /run/hx-marker /var/lib/pacemaker/cib/hx-marker
  [ ! -e /run/hx-marker ]
  [ ! -e /var/lib/pacemaker/cib/hx-marker ]
  run in_node p1 test -e /run/hx-marker
  [ "$status" -ne 0 ]
  [ -e "$(node_dir n1)/fs/var/lib/pacemaker/cib/hx-marker" ]

  # stdin, exit code and working directory pass through in_node.
  [ "$(echo hello | in_node n1 cat)" = hello ]
  run in_node n1 sh -c 'exit 7'
  [ "$status" -eq 7 ]
  [ "$(cd "$BATS_TEST_TMPDIR" && in_node n1 pwd)" = "$BATS_TEST_TMPDIR" ]
}

@test "node_create refuses addresses outside TEST-NET and bad names" {
  run node_create bad1 10.0.0.1/24
  [ "$status" -ne 0 ]
  [[ $output == *"not a TEST-NET address"* ]]
  run node_create 'Bad Name'
  [ "$status" -ne 0 ]
  ! ip netns list | grep -q "$(node_netns bad1)" || false
}

@test "node_destroy kills everything in the node, removes it, and is idempotent" {
  node_create n2 192.0.2.12/24
  holder=$(node_pid n2)
  sleeper=$(node_spawn n2 /dev/null sleep 300)
  [ "$(node_pids n2)" = "$sleeper" ]
  node_destroy n2
  assert_node_gone n2 "$holder" "$sleeper"
  node_destroy n2
  node_destroy never-created
  run in_node n2 true
  [ "$status" -ne 0 ]
}

@test "one-node cluster: pcs Dummy Started in crm_mon XML, attrd works, stop and destroy leave nothing" {
  node_create n1 192.0.2.11/24
  holder=$(node_pid n1)

  cluster_start n1
  echo "# cluster_start n1: $(cat "$(node_dir n1)/cluster/start.ms") ms" >&3

  xml=$(cluster_crm_mon_xml n1)
  [ "$(xmllint --xpath 'string(//current_dc/@name)' - <<<"$xml")" = n1 ]
  [ "$(in_cluster n1 crm_node -n)" = n1 ]
  grep -q 'ring0_addr: 192.0.2.11' "$(node_dir n1)/fs/etc/corosync/corosync.conf"

  in_cluster n1 pcs resource create d1 ocf:pacemaker:Dummy op monitor interval=10s
  cluster_wait_resource n1 d1 Started 30 n1
  run in_cluster n1 crm_resource --locate -r d1
  [[ $output == *"d1 is running on: n1"* ]]

  in_cluster n1 attrd_updater -n hx-attr -U 42
  cluster_wait_attribute n1 hx-attr 42 10
  [ "$(cluster_attribute n1 hx-attr)" = 42 ]
  [ "$(cluster_attribute n1 hx-unset)" = "" ]

  in_cluster n1 pcs resource disable d1
  cluster_wait_resource n1 d1 Stopped 30

  daemons=$(node_pids n1)
  [ -n "$daemons" ]
  cluster_stop n1
  [ -z "$(_cluster_pids_named n1 'pacemaker*')" ]
  [ -z "$(_cluster_pids_named n1 corosync)" ]
  [ -z "$(node_pids n1)" ]
  [ -s "$(node_dir n1)/fs/var/log/pacemaker/pacemaker.log" ]
  [ -s "$(node_dir n1)/fs/var/log/corosync/corosync.log" ]

  node_destroy n1
  # shellcheck disable=SC2086
  assert_node_gone n1 "$holder" $daemons
  node_teardown
  run node_leftovers
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}

@test "a failing resource is reported Failed, and a restarted cluster keeps its CIB" {
  node_create n3
  cluster_start n3 cluster-recheck-interval=5s
  grep -q 'ring0_addr: 127.0.0.1' "$(node_dir n3)/fs/etc/corosync/corosync.conf"
  [ "$(in_cluster n3 crm_attribute -t crm_config -n cluster-recheck-interval -G -q)" = 5s ]

  in_cluster n3 pcs resource create bad ocf:pacemaker:Dummy fail_start_on=n3
  cluster_wait_resource n3 bad Failed 30
  run cluster_wait_resource n3 bad Started 3
  [ "$status" -ne 0 ]
  [[ $output == *"timeout after 3s waiting for resource bad Started"* ]]

  in_cluster n3 pcs resource create keep ocf:pacemaker:Dummy
  cluster_wait_resource n3 keep Started 30
  cluster_stop n3
  cluster_start n3
  cluster_wait_resource n3 keep Started 30
  cluster_stop n3
}

@test "two one-node clusters run side by side, isolated, on the same segment" {
  node_create a1 192.0.2.21/24
  node_peer a1 a2 192.0.2.22/24

  cluster_start a1 &
  start_a1=$!
  cluster_start a2
  wait "$start_a1"
  echo "# cluster_start a1 + a2 in parallel: $(cat "$(node_dir a1)/cluster/start.ms") / $(cat "$(node_dir a2)/cluster/start.ms") ms" >&3

  in_cluster a1 pcs resource create ra ocf:pacemaker:Dummy
  in_cluster a2 pcs resource create rb ocf:pacemaker:Dummy
  cluster_wait_resource a1 ra Started 30 a1
  cluster_wait_resource a2 rb Started 30 a2

  # Each sees only its own node, resources and attributes.
  xml_a1=$(cluster_crm_mon_xml a1)
  [ "$(xmllint --xpath 'count(//nodes/node)' - <<<"$xml_a1")" = 1 ]
  [ "$(xmllint --xpath "count(//resource[@id='rb'])" - <<<"$xml_a1")" = 0 ]
  in_cluster a1 attrd_updater -n side -U a1-value
  in_cluster a2 attrd_updater -n side -U a2-value
  cluster_wait_attribute a1 side a1-value 10
  cluster_wait_attribute a2 side a2-value 10

  # Stopping one leaves the other running.
  cluster_stop a2
  cluster_wait_resource a1 ra Started 5 a1
  cluster_stop a1
}

@test "two nodes form one cluster with cluster_start_nodes" {
  node_create m1 192.0.2.31/24
  node_peer m1 m2 192.0.2.32/24
  cluster_start_nodes "m1 m2"
  echo "# cluster_start_nodes m1 m2: $(cat "$(node_dir m1)/cluster/start.ms") ms" >&3
  xml=$(cluster_crm_mon_xml m2)
  [ "$(xmllint --xpath "count(//nodes/node[@online='true'])" - <<<"$xml")" = 2 ]
  grep -q 'two_node: 1' "$(node_dir m1)/fs/etc/corosync/corosync.conf"
  cluster_stop m2
  cluster_stop m1
}

_named_corosync_in() { [ -n "$(_cluster_pids_named "$1" corosync)" ]; }
_dead() { ! proc_alive "$1"; }

@test "a daemon still on its way to exec is not taken for dead; one that exited is" {
  node_create n7
  # comm is the name the program is exec'd under: a standin "corosync" that a shell execs after 3 s
  ln -s "$(command -v sleep)" "$BATS_TEST_TMPDIR/corosync"
  _cluster_spawn n7 "$BATS_TEST_TMPDIR/out" sh -c "sleep 3; exec $BATS_TEST_TMPDIR/corosync 30"
  local pid=$_CLUSTER_SPAWNED_PID
  # before the exec: no process named corosync, and the spawned one alive: wait on
  run _cluster_up_or_dead n7 "$pid" corosync false
  [ "$status" -ne 0 ]
  wait_until 10 "the standin to run" _named_corosync_in n7
  [ "$(_cluster_pids_named n7 corosync)" = "$pid" ]
  # up: the command decides
  run _cluster_up_or_dead n7 "$pid" corosync false
  [ "$status" -ne 0 ]
  run _cluster_up_or_dead n7 "$pid" corosync true
  [ "$status" -eq 0 ]
  kill -9 "$pid"
  wait_until 10 "the standin to die" _dead "$pid"
  # dead: no process of that name, the spawned one gone
  run _cluster_up_or_dead n7 "$pid" corosync false
  [ "$status" -eq 0 ]
}

@test "an interrupted run leaves nothing running: the holder's dead man's switch" {
  owner_script=$BATS_TEST_TMPDIR/owner.sh
  cat >"$owner_script" <<EOF
source "$BATS_TEST_DIRNAME/../../lab/lib/node.bash"
export NODE_OWNER_PID=\$\$ NODE_SCRATCH_ROOT=$BATS_TEST_TMPDIR
node_setup hx
node_create orphan 192.0.2.41/24
in_node orphan sleep 300 </dev/null >/dev/null 2>&1 &
disown
cp "\$NODE_DIR/n/orphan/ns.net" "$BATS_TEST_TMPDIR/orphan.net"
EOF
  bash "$owner_script" 3>&-
  net=$(cat "$BATS_TEST_TMPDIR/orphan.net")
  in_orphan_ns() { find /proc/[0-9]*/ns/ -maxdepth 1 -name net -printf '%l\n' 2>/dev/null | grep -qxF "$net"; }
  # The owner is gone: within a few seconds every process of the orphan node dies.
  wait_until 10 "orphan node processes to die" eval '! in_orphan_ns'
  # node_setup of the next run removes the orphan's named namespace.
  node_setup hx
  ! ip netns list | grep -q -- '-orphan\b' || false
}

@test "a power cut (node_kill_all) ends a process frozen past SIGKILL; proc_thaw removes the freezer group" {
  local group=seapath-harness-frozen sleeper # teardown thaws it
  node_create n8 192.0.2.48/24
  sleeper=$(node_spawn n8 /dev/null sleep 300)
  proc_freeze "$group" "$sleeper"
  kill -9 "$sleeper"
  sleep 0.5
  # in D state, the SIGKILL pending: what a process stuck on its storage looks like
  proc_alive "$sleeper"
  [ "$(cut -d' ' -f3 "/proc/$sleeper/stat")" = D ]
  node_kill_all n8
  ! proc_alive "$sleeper" || false
  proc_thaw "$group"
  [ ! -d "/sys/fs/cgroup/freezer/$group" ]
}

@test "test/run-integration.sh: a test that leaves a shell loop running fails the run, names the test, and leaves nothing" {
  local suite=$BATS_TEST_TMPDIR/suite.bats
  cat >"$suite" <<'SUITE'
@test "starts a sampler and fails before killing it" {
  (while :; do sleep 0.2; done) </dev/null >/dev/null 2>&1 3>&- &
  false
}
@test "passes" { true; }
SUITE
  run env INTEGRATION_EXIT_GRACE_S=2 timeout 60 "$BATS_TEST_DIRNAME/../run-integration.sh" "$suite"
  echo "$output"
  [ "$status" -eq 1 ] # not 124: the run ended by itself
  [[ $output == *"integration: bats did not exit 2s after its last test; what the tests left running:"* ]]
  [[ $output == *"starts_a_sampler_and_fails_before_killing_it"* ]]
  [[ $output == *"integration: 1 passed, 1 failed"* ]]
  [ -z "$(pgrep -f "bats-exec-test.*$suite")" ]
}

@test "test/run-integration.sh: a test stuck reading a pipe a daemon holds: the run shows bats' processes and ends" {
  local suite=$BATS_TEST_TMPDIR/suite.bats marker="hang-$$-$RANDOM"
  # `run` reads its command's output to the end: a daemon of another session that inherited it keeps
  # it open, the command itself long gone; killing the test's processes does not end that read
  cat >"$suite" <<SUITE
@test "waits on a pipe a daemon holds" { run bash -c "setsid bash -c 'exec -a $marker sleep 40' 3>&- &"; }
@test "passes" { true; }
SUITE
  run env INTEGRATION_STALL_S=4 timeout 30 "$BATS_TEST_DIRNAME/../run-integration.sh" "$suite"
  pkill -f -- "^$marker" || true
  echo "$output"
  [ "$status" -eq 1 ] # not 124: the run ended by itself
  [[ $output == *"integration: nothing reported for 4s: a test hangs; bats' processes:"* ]]
  [[ $output == *"waits_on_a_pipe_a_daemon_holds"* ]]
  [[ $output == *"integration: processes of other sessions holding a pipe of bats' processes:"*"$marker"* ]]
  [[ $output == *"integration: 0 passed, 0 failed, 0 skipped"* ]]
  [[ $output == *"integration: only 0 of 2 planned tests ran"* ]]
  [ -z "$(pgrep -f "bats-exec-test.*$suite")" ]
}

@test "test/run-integration.sh: a skipped test is counted apart and fails the run" {
  local suite=$BATS_TEST_TMPDIR/suite.bats
  cat >"$suite" <<'SUITE'
@test "skips" { skip "no precondition"; }
@test "passes" { true; }
SUITE
  run timeout 60 "$BATS_TEST_DIRNAME/../run-integration.sh" "$suite"
  echo "$output"
  [ "$status" -eq 1 ]
  [[ $output == *"integration: skipped: ok 1 skips "*"# skip no precondition"* ]]
  [[ $output == *"integration: 1 passed, 0 failed, 1 skipped"* ]]
}

@test "test/integration-lanes.sh: a side lane runs beside the main one; lines name their lane, the last sums both; a lane failing fails" {
  local dir=$BATS_TEST_TMPDIR/suite
  mkdir -p "$dir"
  # Each lane's first test waits for the other's: run one after the other, both would fail.
  cat >"$dir/main.bats" <<'SUITE'
@test "main meets side" {
  touch "$LANES_MARK/main"
  for _ in $(seq 100); do [ ! -e "$LANES_MARK/side" ] || return 0; sleep 0.1; done
  false
}
@test "main passes" { true; }
SUITE
  cat >"$dir/side.bats" <<'SUITE'
# integration-lane: side
@test "side meets main" {
  touch "$LANES_MARK/side"
  for _ in $(seq 100); do [ ! -e "$LANES_MARK/main" ] || return 0; sleep 0.1; done
  false
}
@test "side fails" { false; }
SUITE
  run env INTEGRATION_DIR="$dir" LANES_MARK="$BATS_TEST_TMPDIR" timeout 60 "$BATS_TEST_DIRNAME/../integration-lanes.sh"
  echo "$output"
  [ "$status" -eq 1 ]
  [[ $output == *"[main] ok 1 main meets side"* ]]
  [[ $output == *"[main] ok 2 main passes"* ]]
  [[ $output == *"[side] ok 1 side meets main"* ]]
  [[ $output == *"[side] not ok 2 side fails"* ]]
  [ "${lines[-1]}" = "integration: 3 passed, 1 failed, 0 skipped" ]
}
