# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# shellcheck shell=bash
# What a script that drives the lab from outside (lab/demo.sh, bench/failover.sh, the lab's bats files)
# needs besides lab/lab.sh itself: the lab kit (cluster.bash with crm.bash's queries, ceph.bash,
# libvirt.bash) pointed at the lab's state under $LAB_ROOT.
#
#   lab_attach          after `lab.sh up`: join the lab's nodes (its anchor owns them) and its Ceph, so
#                       in_node, in_cluster, the crm_* queries, ceph_rbd and libvirt_* reach them
# The clock (now, since) is proc.bash's.

LAB_ROOT=${LAB_ROOT:-/var/lib/seapath-lab}
export NODE_SCRATCH_ROOT=$LAB_ROOT LIBVIRT_BASE=$LAB_ROOT/libvirt LIBVIRT_HELPER_QUIET=1
# shellcheck source=cluster.bash
source "$(dirname "${BASH_SOURCE[0]}")/cluster.bash"
# shellcheck source=ceph.bash
source "$(dirname "${BASH_SOURCE[0]}")/ceph.bash"
# shellcheck source=libvirt.bash
source "$(dirname "${BASH_SOURCE[0]}")/libvirt.bash"

lab_attach() {
  NODE_OWNER_PID=$(<"$LAB_ROOT/anchor.pid") || return
  export NODE_OWNER_PID
  node_setup lab >/dev/null || return
  [[ ! -f $LAB_ROOT/ceph/env ]] || ceph_use "$LAB_ROOT/ceph" >/dev/null
}
