#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# SEAPATH's default: STONITH disabled (configure_ha_disable_stonith: true), nodes without quorum stop
# their resources. Then the image guard of ocf:seapath:vm is all that keeps vm1 from running twice.
# In every scenario a sampler records, every 0.2 s, the nodes that run a vm1 QEMU, those whose QEMU
# executes the guest, and the watchers of rbd/system_vm1; at no instant may two copies be able to
# write (a copy writes when it executes, through a watch that is not blocklisted), a live
# migration's switch-over being one copy moving.

export LAB_ROOT=/var/lib/seapath-lab-stonith-off
LAB="$BATS_TEST_DIRNAME/../../lab/lab.sh"

setup_file() {
  "$LAB" up >&3 || return 1
  "$LAB" deploy seapath stonith-enabled=false no-quorum-policy=stop >&3 || return 1
}

teardown_file() {
  LAB_SAVE_LOGS=${LAB_SAVE_LOGS:-${BATS_RUN_TMPDIR:-/tmp}/lab-stonith-off-logs} "$LAB" down >/dev/null 2>&1 || true
}

setup() {
  load ../../lab/lib/session
  lab_attach
  SERIAL=$LAB_ROOT/vm1.serial
  declare -gA ADDR=([node1]=192.0.2.11 [node2]=192.0.2.12 [node3]=192.0.2.13)
}

teardown() {
  [[ -z ${SAMPLER:-} ]] || kill "$SAMPLER" 2>/dev/null || true
  # a test that failed half-way gives the next one its node back
  [[ -z ${POWERED_OFF:-} ]] || "$LAB" power-on "$POWERED_OFF" || true
  [[ -z ${ISOLATED:-} ]] || in_node "$ISOLATED" ip link set eth0 up || true
  [[ -z ${PARTITIONED:-} ]] || "$LAB" partition "$PARTITIONED" del || true
}

# crm_mon as NODE sees the cluster (a cut-off node has its own view).
where_from() { CRM_NODES=$1 crm_where_is "$2"; }
vm1_node_from() { CRM_NODES=$1 crm_wait_where vm1 "$2"; }
started_on_from() { CRM_NODES=$1 crm_started_on vm1 "$2"; }
started_from() { CRM_NODES=$1 crm_started_anywhere vm1; }
started_elsewhere_from() { CRM_NODES=$1 crm_started_elsewhere_than vm1 "$2"; }
online_from() { CRM_NODES=$1 crm_node_online "$2"; }
offline_from() { CRM_NODES=$1 crm_node_offline "$2"; }
all_online_from() { [[ $(CRM_NODES=$1 crm_online_count) == 3 ]]; }
peer_of() { [[ $1 == node1 ]] && echo node2 || echo node1; }
# The exit reason of the newest failed vm1 start, as Pacemaker keeps it (128 characters at most).
start_failure_from() { crm_mon_xml "$1" | crm_xpath "string((//failure[@op_key='vm1_start_0'])[last()]/@exitreason)"; }
start_failures_from() { crm_mon_xml "$1" | crm_xpath "count(//failure[@op_key='vm1_start_0'])"; }
start_failed_twice() { [[ $(start_failures_from "$1") -ge 2 ]]; }
start_failed_once() { [[ $(start_failures_from "$1") -ge 1 ]]; }

# The nodes running a (non-zombie) QEMU of vm1, by network namespace (NETNS from start_sampler).
qemu_nodes() {
  local p st ns n out=()
  for p in $(pgrep -f 'qemu-system-x86_64.*guest=vm1' || true); do
    st=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) || continue
    [[ $st == Z ]] && continue
    ns=$(readlink "/proc/$p/ns/net" 2>/dev/null) || continue
    for n in node1 node2 node3; do [[ $ns == "${NETNS[$n]}" ]] && out+=("$n"); done
  done
  local IFS=,
  echo "${out[*]:--}"
}
# vm1's QEMUs that are not zombies (state R, S or D)
vm1_qemus() {
  local p
  pgrep -f 'qemu-system-x86_64.*guest=vm1' | while read -r p; do
    [[ $(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) == [RSD] ]] && echo "$p"
  done | wc -l
}

# every NODE's CIB has maintenance-mode on (then a node whose Pacemaker stops leaves vm1 running)
maintenance_seen_by() {
  local n
  for n in "$@"; do in_cluster "$n" crm_mon -1 --output-as=xml 2>/dev/null | grep -q 'maintenance-mode="true"' || return 1; done
}

# Every 0.2 s, from one process holding one Ceph connection (helpers/copies-sampler.py):
# "EPOCH QEMU_NODES WATCHER_ADDRESSES EXECUTING_NODES" into $SAMPLES.
start_sampler() {
  declare -gA NETNS=()
  local n args=()
  for n in node1 node2 node3; do
    NETNS[$n]=$(readlink "/proc/$(node_pid "$n")/ns/net")
    args+=("$n=${NETNS[$n]}")
  done
  SAMPLES=$LAB_ROOT/samples-$BATS_TEST_NUMBER SAMPLER_PIDFILE=$LAB_ROOT/sampler-$BATS_TEST_NUMBER.pid
  rm -f "$SAMPLES" "$SAMPLER_PIDFILE"
  in_node storage setsid /usr/bin/python3 "$BATS_TEST_DIRNAME/helpers/copies-sampler.py" "$CEPH_CONF" rbd/system_vm1 vm1 \
    "$SAMPLES" "$SAMPLER_PIDFILE" "${args[@]}" </dev/null >"$LAB_ROOT/sampler-$BATS_TEST_NUMBER.log" 2>&1 3>&- &
  wait_until 20 "the sampler to write (see $LAB_ROOT/sampler-$BATS_TEST_NUMBER.log)" test -s "$SAMPLES"
  SAMPLER=$(<"$SAMPLER_PIDFILE")
}

# Stops the sampler; prints the largest number of copies that could write at one instant
# (helpers/writable-copies.awk: a live migration's switch-over is one copy moving). Ceph blocklists
# for an hour by default, so an entry was added at its expiry minus 3600 s.
max_writable_copies() {
  # a sampler that died early sampled only part of the window: not a pass
  kill "$SAMPLER" 2>/dev/null || { echo "the sampler had exited (see $LAB_ROOT/sampler-$BATS_TEST_NUMBER.log)" >&2; echo 99; return 1; }
  SAMPLER=
  local bl=$BATS_TEST_TMPDIR/blocklist addr expiry
  : >"$bl"
  while read -r addr expiry _; do
    [[ $addr == *:*/* ]] || continue
    echo "$addr $(($(date -d "$expiry" +%s) - 3600))" >>"$bl"
  done < <(ceph_ceph osd blocklist ls 2>/dev/null)
  awk -v ips="node1=${ADDR[node1]},node2=${ADDR[node2]},node3=${ADDR[node3]}" \
    -f "$BATS_TEST_DIRNAME/helpers/writable-copies.awk" "$bl" "$SAMPLES"
}
pingd_set_on() { in_cluster node1 attrd_updater -Q -n pingd -N "$1" 2>/dev/null | grep -q 'value="[1-9]'; }
# Three nodes online with their pingd set, and no transition left: vm1 does not move by itself
# (after a node rejoins, the pingd rule may move vm1 once its ping clone sets the attribute).
settle() {
  local n
  wait_until 120 "three nodes online" all_online_from node1
  for n in node1 node2 node3; do wait_until 60 "pingd on $n" pingd_set_on "$n"; done
  in_cluster node1 crm_resource --cleanup --resource vm1 >/dev/null
  in_cluster node1 crm_resource --wait --timeout=90
}
# After a node came back, as NODE sees it: three nodes online, no transition left, vm1 Started with
# one QEMU, and never two copies that could write since the sampler began (which it stops).
one_copy_after_rejoin() {
  wait_until 120 "three nodes online" all_online_from "$1"
  in_cluster "$1" crm_resource --wait --timeout=90
  wait_until 30 "vm1 to stay Started" started_from "$1"
  [ "$(vm1_qemus)" -eq 1 ]
  [ "$(max_writable_copies)" -le 1 ]
}
_blocklisted() { ceph_ceph osd blocklist ls 2>/dev/null | grep -q "^$1 "; }
_no_vm1_on() { [[ $(qemu_nodes) != *"$1"* ]]; }
max_qemus() { awk '{ n = ($2 == "-") ? 0 : split($2, q, ","); if (n > m) m = n } END { print m + 0 }' "$SAMPLES"; }
sample_rate() {
  awk 'NR == 1 { a = $1 } { b = $1 } END { if (NR > 1) printf "%d samples, one every %.2f s", NR, (b - a) / (NR - 1) }' "$SAMPLES"
}

# Pacemaker (and with "corosync", Corosync) leaves NODE the way an admin stops it: SIGTERM, the
# daemons exit, and in maintenance mode the VMs go on running.
stop_cluster_daemons() {
  local n=$1 pids
  pids=$(_cluster_pids_named "$n" pacemakerd)
  # shellcheck disable=SC2086 # one word each
  [[ -z $pids ]] || kill -TERM $pids
  wait_until 60 "pacemaker to stop on $n" _cluster_gone "$n" 'pacemaker*'
  if [[ ${2:-} == corosync ]]; then
    pids=$(_cluster_pids_named "$n" corosync)
    # shellcheck disable=SC2086 # one word each
    [[ -z $pids ]] || kill -TERM $pids
    wait_until 20 "corosync to stop on $n" _cluster_gone "$n" corosync
  fi
}

@test "partition: vm1's node loses the cluster network, not Ceph; vm1 runs on the majority once the cut-off node stopped it, never twice" {
  on=$(vm1_node_from node1 180)
  majority=() ; for n in node1 node2 node3; do [[ $n == "$on" ]] || majority+=("$n"); done
  libvirt_wait_guest_up "$SERIAL" 90
  start_sampler
  t0=$EPOCHREALTIME
  # Only the cluster's traffic between nodes is cut: the storage node (Ceph) stays reachable from all.
  PARTITIONED=$on
  "$LAB" partition "$on" add
  wait_until 120 "vm1 to run on the majority side" started_elsewhere_from "${majority[0]}" "$on"
  now=$(vm1_node_from "${majority[0]}" 10)
  t1=$EPOCHREALTIME
  echo "# partition: vm1 Started on $now $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s after the cut" >&3
  [[ $now != "$on" ]]
  # The cut-off node lost quorum and stopped its copy before the majority's guard let vm1 start.
  run in_node "$on" virsh domstate vm1
  [[ $output == *"failed to get domain"* || $output == shut* ]]
  [[ $(qemu_nodes) != *"$on"* ]]
  "$LAB" partition "$on" del
  PARTITIONED=
  wait_until 120 "the partition to heal: three nodes online" all_online_from "${majority[0]}"
  wait_until 30 "vm1 to stay Started" started_from "$on"
  [ "$(vm1_qemus)" -eq 1 ]
  [ "$(max_writable_copies)" -le 1 ]
  echo "# partition: at most $(max_qemus) vm1 QEMU(s) at once ($(sample_rate))" >&3
}

@test "maintenance: Pacemaker stopped on vm1's node, vm1 left running; no second copy starts, the start names the holder and what to do" {
  wait_until 120 "three nodes online" all_online_from node1
  on=$(vm1_node_from node1 60)
  peer=$(peer_of "$on")
  in_cluster "$peer" crm_resource --cleanup --resource vm1 >/dev/null
  # A shorter start timeout keeps the guard's wait (half of it) short: two refusals in half a minute.
  in_cluster "$peer" pcs resource update vm1 op start timeout=20s
  in_cluster "$peer" crm_attribute --type crm_config --name maintenance-mode --update true
  wait_until 20 "maintenance mode on $on and $peer" maintenance_seen_by "$on" "$peer"
  start_sampler
  stop_cluster_daemons "$on"
  wait_until 60 "$on to be offline" offline_from "$peer" "$on"
  in_cluster "$peer" crm_attribute --type crm_config --name maintenance-mode --update false
  wait_until 120 "vm1's start to be refused on both other nodes" start_failed_twice "$peer"
  reason=$(start_failure_from "$peer")
  echo "# maintenance: exit reason: $reason" >&3
  [[ $reason == "refusing to start vm1: held by $on (client."*" at ${ADDR[$on]}:0/"*"): stop vm1 on $on, or fence $on"* ]]
  run started_from "$peer"
  [ "$status" -ne 0 ]
  [ "$(qemu_nodes)" = "$on" ] # the copy left running is the only one
  [ "$(max_writable_copies)" -le 1 ]
  [ "$(max_qemus)" -le 1 ]
  # Back to normal: the node rejoins, its probe finds vm1 running there. Pacemaker may then move it
  # live (the pingd rule bans the rejoined node until its ping clone sets pingd again): what must
  # hold is one Started vm1 and one QEMU, never a second copy (a sampler of its own for this part:
  # the first one ended with the check above).
  start_sampler
  stop_cluster_daemons "$on" corosync
  cluster_restart "$on"
  in_cluster "$peer" crm_resource --cleanup --resource vm1 >/dev/null
  in_cluster "$peer" crm_resource --wait --timeout=90 # the transition (and any move) settles
  wait_until 60 "vm1 to be Started again" started_from "$peer"
  [ "$(vm1_qemus)" -eq 1 ]
  [ "$(max_writable_copies)" -le 1 ]
}

@test "a Ceph key without osd blocklist rights: the guard refuses to start, even on a fencing; with them it blocklists, vm1 starts once" {
  wait_until 120 "three nodes online" all_online_from node1
  ceph_ceph auth get-or-create client.noblock mon 'allow r' osd 'profile rbd pool=rbd' >"$CEPH_DIR/etc/ceph.client.noblock.keyring"
  on=$(vm1_node_from node1 60)
  peer=$(peer_of "$on")
  in_cluster "$peer" crm_resource --cleanup --resource vm1 >/dev/null
  # room for the guard's wait, the blocklist and the start (not the maintenance test's 20 s)
  in_cluster "$peer" pcs resource update vm1 op start timeout=30s
  in_cluster "$peer" crm_resource --resource vm1 --set-parameter ceph_client_id --parameter-value noblock
  # vm1 restarts with the new key: started_from would still see the old run before the transition.
  in_cluster "$peer" crm_resource --wait --timeout=90
  on=$(vm1_node_from "$peer" 120)
  peer=$(peer_of "$on")
  in_cluster "$peer" crm_attribute --type crm_config --name maintenance-mode --update true
  wait_until 20 "maintenance mode on $on and $peer" maintenance_seen_by "$on" "$peer"
  start_sampler
  # The node leaves the cluster entirely, vm1 still running there; an admin wrongly confirms it down.
  stop_cluster_daemons "$on" corosync
  wait_until 60 "$on to be offline" offline_from "$peer" "$on"
  in_cluster "$peer" stonith_admin --confirm "$on"
  in_cluster "$peer" crm_attribute --type crm_config --name maintenance-mode --update false
  wait_until 120 "vm1's start to be refused" start_failed_once "$peer"
  reason=$(start_failure_from "$peer")
  echo "# no blocklist capability: exit reason: $reason" >&3
  [[ $reason == "refusing to start vm1: client.noblock may not blocklist ${ADDR[$on]}:0/"*" of fenced $on: give it mon caps profile rbd"* ]]
  run started_from "$peer"
  [ "$status" -ne 0 ]
  [ "$(qemu_nodes)" = "$on" ]
  run ceph_ceph osd blocklist ls
  [ "$status" -eq 0 ]
  [[ $output != *"${ADDR[$on]}:0/"* ]]
  # The same with a key that may blocklist: the old copy is fenced off Ceph, then vm1 starts.
  in_cluster "$peer" crm_resource --resource vm1 --delete-parameter ceph_client_id
  in_cluster "$peer" crm_resource --cleanup --resource vm1 >/dev/null
  wait_until 120 "vm1 to start on a survivor" started_from "$peer"
  run ceph_ceph osd blocklist ls
  [[ $output == *"${ADDR[$on]}:0/"* ]]
  [ "$(max_writable_copies)" -le 1 ]
  echo "# with the capability: at most $(max_qemus) vm1 QEMU(s) at once, one of them blocklisted" >&3
  # The stale copy goes, the node comes back; one copy, three nodes online.
  in_node "$on" virsh destroy vm1 >/dev/null
  cluster_restart "$on"
  wait_until 120 "three nodes online" all_online_from "$peer"
  [ "$(vm1_qemus)" -eq 1 ]
}

@test "power cut: vm1's node dies, nobody fences it; vm1 starts once on a survivor when the dead QEMU's watch expired; it comes back" {
  settle
  on=$(vm1_node_from node1 60)
  peer=$(peer_of "$on")
  libvirt_wait_guest_up "$SERIAL" 90
  start_sampler
  [ "$(qemu_nodes)" = "$on" ] # no migration in flight
  t0=$EPOCHREALTIME
  # What the simulator's StopVms does: every process of the node dies, QEMU's included, its NIC goes dark.
  POWERED_OFF=$on
  "$LAB" power-off "$on"
  wait_until 120 "vm1 to start on a survivor" started_elsewhere_from "$peer" "$on"
  t1=$EPOCHREALTIME
  now=$(vm1_node_from "$peer" 10)
  echo "# power cut: vm1 Started on $now $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s after" \
    "($(start_failures_from "$peer") start(s) refused on the way)" >&3
  [ "$(qemu_nodes)" = "$now" ]
  # The node boots and rejoins: its probe finds no vm1. (Pacemaker may then move vm1 live, as after
  # the maintenance test: one copy moving.)
  "$LAB" power-on "$on"
  POWERED_OFF=
  one_copy_after_rejoin "$peer"
}

@test "isolation: vm1's node loses every link, Ceph's too; vm1 starts on the majority once the lost copy's watch expired, blocklisted" {
  settle
  on=$(vm1_node_from node1 60)
  majority=() ; for n in node1 node2 node3; do [[ $n == "$on" ]] || majority+=("$n"); done
  libvirt_wait_guest_up "$SERIAL" 90
  lost=$(ceph_watchers "$CEPH_DIR" rbd/system_vm1 | grep -o "${ADDR[$on]}:0/[0-9]*")
  [ -n "$lost" ]
  start_sampler
  [ "$(qemu_nodes)" = "$on" ] # no migration in flight
  t0=$EPOCHREALTIME
  ISOLATED=$on
  in_node "$on" ip link set eth0 down
  wait_until 120 "vm1 to run on the majority side" started_elsewhere_from "${majority[0]}" "$on"
  t1=$EPOCHREALTIME
  now=$(vm1_node_from "${majority[0]}" 10)
  echo "# isolation: vm1 Started on $now $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s after the cut" \
    "($(start_failures_from "${majority[0]}") start(s) refused on the way)" >&3
  # The copy left on the isolated node cannot write once its link is back: its client is blocklisted.
  wait_until 20 "$lost, the isolated copy's client, to be blocklisted" _blocklisted "$lost"
  # The isolated node lost quorum and stops its copy, with Ceph out of reach.
  wait_until 90 "$on to stop its copy of vm1" _no_vm1_on "$on"
  echo "# isolation: $on's copy gone $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s after the cut" >&3
  in_node "$on" ip link set eth0 up
  ISOLATED=
  one_copy_after_rejoin "${majority[0]}"
  echo "# isolation: at most $(max_qemus) vm1 QEMU(s) at once ($(sample_rate))" >&3
}
