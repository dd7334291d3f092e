# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared by the vm*.bats files: a Ceph in node "ceph" (198.51.100.10) and libvirt nodes on the
# same segment, SEAPATH-style system images, and running ocf:seapath:vm inside a node.
#
#   `load vm-helpers` (in setup_file, setup, teardown_file) also loads the node/ceph/libvirt/ocf helpers (vm_load)
#   vm_lab_up NODE...                node ceph + Ceph, then each NODE (a=.11, b=.12) with libvirtd and /etc/ceph
#   vm_pair_up VM...                 vm_lab_up a b, each naming both in its /etc/hosts (a a-mig, b b-mig, as
#                                    cluster nodes find each other), then vm_image VM...
#   vm_lab_down NODE...              bounded teardown of all of it
#   vm_image VM [--guest noos|linux]  domain XML -> $VM_DIR/VM.xml and rbd/system_VM (xml metadata)
#   vm_agent NODE ACTION VM [k=v...]  the installed agent, resource VM, seapath=true, config under $VM_DIR/etc
#   vm_agent_hiding TOOL NODE ACTION VM [k=v...]  the same, with TOOL hidden from the agent
#   vm_monitor_is NODE VM RC INTERVAL_MS  `run vm_agent NODE monitor VM CRM_meta_interval=INTERVAL_MS` (0: a probe)
#                                    exits RC
#   vm_state NODE VM                  virsh domstate as libvirt of NODE reports it ("absent" when undefined)

VM_CEPH_IP=198.51.100.10
declare -gA VM_NODE_IP=([a]=198.51.100.11 [b]=198.51.100.12)

vm_load() {
  load ../../lab/lib/node
  load ../../lab/lib/ceph
  load ../../lab/lib/libvirt
  load helpers/ocf
  export LIBVIRT_BASE=$BATS_FILE_TMPDIR/lv
  export VM_DIR=$BATS_FILE_TMPDIR/vm
  export VM_CEPH_DIR=$BATS_FILE_TMPDIR/ceph
  [ ! -f "$VM_CEPH_DIR/env" ] || ceph_use "$VM_CEPH_DIR"
}

vm_lab_up() {
  local n
  node_setup vm
  mkdir -p "$VM_DIR/etc" || return
  "$BATS_TEST_DIRNAME/../../lab/guest/build.sh" >/dev/null || return
  node_create ceph "$VM_CEPH_IP/24" || return
  CEPH_HELPER_QUIET=1 CEPH_EXEC="in_node ceph" ceph_start "$VM_CEPH_DIR" "$VM_CEPH_IP" || return
  ceph_use "$VM_CEPH_DIR" || return
  for n in "$@"; do
    node_peer ceph "$n" "${VM_NODE_IP[$n]}/24" || return
    LIBVIRT_HELPER_QUIET=1 LIBVIRT_EXEC="in_node $n" libvirt_start "$n" "${VM_NODE_IP[$n]}" || return
    # The agent, rbd and QEMU in the node find the cluster as SEAPATH hosts do: /etc/ceph
    ceph_mount_etc "$VM_CEPH_DIR" in_node "$n" || return
  done
}

vm_monitor_is() {
  local node=$1 vm=$2 rc=$3 interval=$4
  run vm_agent "$node" monitor "$vm" CRM_meta_interval="$interval"
  # shellcheck disable=SC2154 # status and output are set by bats' run
  [ "$status" -eq "$rc" ] || { echo "monitor of $vm on $node (interval $interval): exit $status, expected $rc: $output"; return 1; }
}

vm_pair_up() {
  local n vm
  vm_lab_up a b || return
  { cat /etc/hosts; printf '%s\n' "${VM_NODE_IP[a]} a a-mig" "${VM_NODE_IP[b]} b b-mig"; } >"$VM_DIR/hosts" || return
  for n in a b; do in_node "$n" mount --bind "$VM_DIR/hosts" /etc/hosts || return; done
  for vm in "$@"; do vm_image "$vm" || return; done
}

vm_lab_down() {
  local n
  for n in "$@"; do libvirt_stop "$n" || true; done
  ceph_stop "$VM_CEPH_DIR" || true
  node_teardown
}

vm_image() {
  local vm=${1:?usage: vm_image VM [--guest noos|linux]} guest=linux
  [ "${2:-}" != --guest ] || guest=$3
  libvirt_domain_xml "$vm" --guest "$guest" --serial "$VM_DIR/$vm.serial" >"$VM_DIR/$vm.xml" &&
    ceph_system_image "$VM_CEPH_DIR" "$vm" "$VM_DIR/$vm.xml"
}

_vm_env() {
  local vm=$1 kv
  shift
  VM_ENV=("PATH=$OCF_PATH" OCF_ROOT=/usr/lib/ocf OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1
    OCF_RESOURCE_INSTANCE="$vm" OCF_RESOURCE_TYPE=vm OCF_RESOURCE_PROVIDER=seapath
    OCF_EXIT_REASON_PREFIX=ocf-exit-reason: OCF_RESKEY_CRM_meta_timeout="${OCF_TIMEOUT_MS:-20000}"
    OCF_RESKEY_seapath=true OCF_RESKEY_config="$VM_DIR/etc/$vm.xml")
  for kv in "$@"; do VM_ENV+=("OCF_RESKEY_$kv"); done
}

vm_agent() {
  local node=$1 action=$2 vm=$3
  shift 3
  _vm_env "$vm" "$@"
  in_node "$node" env -i "${VM_ENV[@]}" "${OCF_WRAPPER[@]}" "/usr/lib/ocf/resource.d/seapath/${VM_AGENT:-vm}" "$action"
}

# A node where TOOL is not installed: bind /dev/null over it in a private mount namespace.
vm_agent_hiding() {
  local tool=$1 node=$2 action=$3 vm=$4 path
  shift 4
  path=$(command -v "$tool") || return
  _vm_env "$vm" "$@"
  # shellcheck disable=SC2016 # sh's own positional parameters
  in_node "$node" unshare --mount --propagation private -- /bin/sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' \
    hide "$path" env -i "${VM_ENV[@]}" /usr/lib/ocf/resource.d/seapath/vm "$action"
}

# vm_state NODE VM: libvirt's domstate, or "absent" when libvirt says it has no such domain;
# "unknown: ..." (status 1) when libvirt does not answer, which no assertion takes for absent.
vm_state() {
  local out
  if out=$(libvirt_virsh "$1" domstate "$2" 2>&1); then
    echo "$out"
  elif [[ $out == *"failed to get domain"* || $out == *"Domain not found"* ]]; then
    echo absent
  else
    echo "unknown: $out"
    return 1
  fi
}

# vm_needs NODE VM: a test that builds on an earlier one's result fails, rather than skips, without it
vm_needs() {
  local state
  state=$(vm_state "$1" "$2")
  [[ $state == running ]] || { echo "precondition: $2 runs on $1 (it is: $state)" >&2; return 1; }
}

vm_load
