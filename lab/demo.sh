#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# make demo: every agent at work in the three-node lab (lab/lab.sh), narrated, with timings.
#   1. lab up; fence_outscale as the stonith device, a ping clone, a VM on RBD placed by a pingd
#      rule (allow-migrate), a floating IP that follows the VM
#   2. live migration of the VM over ssh as the non-root libvirtadmin, proving the guest kept running
#   3. the node running the VM and the IP dies: fencing through fence_outscale, recovery on a
#      survivor, the fenced node rejoining
#   4. a table of the timings; the lab goes down
# Any failed step stops the demo with a message and a non-zero exit. DEMO_KEEP_LAB=1 keeps the lab.
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB=$REPO/lab/lab.sh
LAB_ROOT=${LAB_ROOT:-/var/lib/seapath-lab}
# shellcheck source=lib/session.bash
source "$REPO/lab/lib/session.bash"

VIP=192.0.2.50
SERIAL=$LAB_ROOT/vm1.serial
declare -a SUMMARY=()
T0=$(now)

stamp() { printf '%s (+%ss)' "$(date +%T.%3N)" "$(since "$T0")"; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
info() { printf '   %s %s\n' "$(stamp)" "$*"; }
record() { SUMMARY+=("$1|$2"); }
fail() {
  printf '\n\033[1;31mDEMO FAILED: %s\033[0m\n' "$*" >&2
  [[ -n ${LAB_UP:-} ]] && { echo "--- crm_mon on node1:" >&2; in_cluster node1 crm_mon -1 2>&1 | tail -25 >&2; }
  finish 1
}
finish() {
  if [[ -n ${LAB_UP:-} && -z ${DEMO_KEEP_LAB:-} ]]; then
    say "Bringing the lab down"
    "$LAB" down | sed 's/^/   /'
  fi
  exit "$1"
}
trap 'fail "interrupted"' INT TERM

wait_for() { wait_until "$@" >/dev/null 2>&1 || fail "timed out after ${1}s waiting for $2"; } # TIMEOUT_S WHAT CMD...
vm1_parameter() { in_cluster node1 crm_resource --resource vm1 --get-parameter "$1" 2>/dev/null; }

say "1. The lab: three nodes, Ceph, libvirt and the Outscale simulator, in namespaces on this machine"
t=$(now)
"$LAB" up | sed 's/^/   /'
[[ ${PIPESTATUS[0]} -eq 0 ]] || fail "lab.sh up"
LAB_UP=1
lab_attach
record "lab up (3 nodes, Ceph, libvirt, simulator, cluster)" "$(since "$t")"

info "fence_outscale is the stonith device (configured by lab up):" \
  "$(in_cluster node1 stonith_admin --list-registered 2>/dev/null | head -1)"
t=$(now)
"$LAB" deploy || fail "lab.sh deploy"
info "rbd/system_vm1 holds the guest's disk; its image-meta key 'xml' holds the domain, as SEAPATH stores it"
info "resources: ping clone (pingd: reachability of the gateway 192.0.2.1), vm1 (ocf:seapath:vm, allow-migrate,"
info "           placed by the rule 'pingd lt 1 or not_defined pingd => -INFINITY'), vip $VIP colocated with vm1"
wait_for 120 "vm1 to start" crm_started_anywhere vm1
wait_for 30 "vip to start" crm_started_anywhere vip
record "configure + start ping clone, vm1, vip" "$(since "$t")"
SRC=$(crm_where_is vm1)
info "vm1 and vip run on $SRC"
in_cluster node1 crm_mon -1 -A | sed -n '/Node List/,$p' | sed 's/^/   | /'
libvirt_wait_guest_up "$SERIAL" 60 >/dev/null || fail "the guest did not boot"
info "guest heartbeat: $(libvirt_guest_heartbeat "$SERIAL")  (boot id, uptime, counter)"
in_node client ping -c 1 -W 2 $VIP >/dev/null || fail "client cannot reach $VIP"
info "the client host reaches $VIP"

say "2. Live migration of vm1 away from $SRC, over ssh as libvirtadmin (as on SEAPATH)"
DST=node1
[[ $SRC == node1 ]] && DST=node2
info "vm1: migration_transport=$(vm1_parameter migration_transport), migration_user=$(vm1_parameter migration_user):" \
  "virsh migrate to qemu+ssh://libvirtadmin@$DST/system"
read -r BOOT _ COUNT <<<"$(libvirt_guest_heartbeat "$SERIAL")"
SSH_LOG=$LAB_ROOT/seapath/nodes/$DST/sshd.log
LOGINS=$(grep -c 'Accepted publickey for libvirtadmin' "$SSH_LOG" 2>/dev/null)
t=$(now)
in_cluster node1 crm resource move vm1 "$DST" >/dev/null 2>&1 || fail "crm resource move"
wait_for 120 "vm1 to run on $DST" crm_started_on vm1 "$DST"
MIG=$(since "$t")
# The vip follows before the move constraint goes: a sticky vip left behind would pull vm1 back.
wait_for 30 "vip to follow vm1" crm_started_on vip "$DST"
in_cluster node1 crm resource clear vm1 >/dev/null 2>&1
libvirt_wait_guest_beats_after "$SERIAL" "$BOOT" "$COUNT" 20 || fail "the guest did not keep running"
read -r BOOT2 _ COUNT2 <<<"$(libvirt_guest_heartbeat "$SERIAL")"
info "vm1 runs on $DST after ${MIG}s; the guest kept running: same boot id $BOOT2, counter $COUNT -> $COUNT2"
(($(grep -c 'Accepted publickey for libvirtadmin' "$SSH_LOG") > LOGINS)) || fail "no ssh login of libvirtadmin on $DST"
info "$DST's sshd: $(grep 'Accepted publickey for libvirtadmin' "$SSH_LOG" | tail -1 | sed 's/^.*Accepted/Accepted/')"
record "live migration $SRC -> $DST over ssh (move to Started)" "$MIG"

say "3. $DST, running vm1 and the vip, stops answering (Corosync and Pacemaker killed)"
KILLED=$DST
t=$(now)
"$LAB" crash "$KILLED"
info "killed the cluster stack of $KILLED; its QEMU still runs until it is fenced"
wait_for 60 "$KILLED to be fenced" bash -c "grep -q 'power-off $KILLED' '$LAB_ROOT/power.log'"
FENCED=$(since "$t" "$(grep "power-off $KILLED" "$LAB_ROOT/power.log" | tail -1 | cut -d' ' -f1)")
info "fence_outscale stopped $KILLED's VM through the simulator (StopVms, ForceStop): +${FENCED}s"
wait_for 120 "vm1 to start on a survivor" crm_started_anywhere vm1
VM_AT=$(since "$t")
NEW=$(crm_where_is vm1)
info "vm1 runs again on $NEW: +${VM_AT}s"
wait_for 30 "vip to start with vm1" crm_started_on vip "$NEW"
VIP_AT=$(since "$t")
info "vip $VIP is on $NEW: +${VIP_AT}s"
in_node client ping -c 1 -W 2 $VIP >/dev/null && info "the client reaches $VIP again"
libvirt_wait_guest_up "$SERIAL" 60 >/dev/null &&
  info "guest heartbeat: $(libvirt_guest_heartbeat "$SERIAL") (a new boot: the old QEMU died with $KILLED)"
wait_for 120 "$KILLED to rejoin" crm_node_online "$KILLED"
REJOIN=$(since "$t")
info "$KILLED was powered on again by the fence agent (StartVms) and rejoined: +${REJOIN}s"
in_cluster "$NEW" stonith_admin --history "$KILLED" 2>/dev/null | head -2 | sed 's/^/   | /'
record "node death -> fenced through fence_outscale" "$FENCED"
record "node death -> vm1 running on $NEW" "$VM_AT"
record "node death -> vip on $NEW" "$VIP_AT"
record "node death -> $KILLED back in the cluster" "$REJOIN"

say "4. Summary"
printf '   | %-62s | %8s |\n' "step" "seconds"
printf '   | %-62s | %8s |\n' "----" "-------"
for row in "${SUMMARY[@]}"; do printf '   | %-62s | %8s |\n' "${row%%|*}" "${row#*|}"; done
printf '   | %-62s | %8s |\n' "whole demo" "$(since "$T0")"
finish 0
