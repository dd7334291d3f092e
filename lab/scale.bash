# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Many VMs in the lab, for the soak (lab/soak.sh) and the scale bench (bench/scale.sh).
# Sourced after lab/lab.sh (its functions, LAB_ROOT, LAB_NODES, the node/cluster/ceph/libvirt helpers).
#
#   scale_prepare FLAVOUR N
#       The guests' RBD images rbd/system_vm1..N (domain XML in image-meta, as SEAPATH stores it;
#       for the stock agent also in a file on every node) and a ping clone measuring the gateway.
#       FLAVOUR seapath: ocf:seapath:{vm,ping}; stock: ocf:heartbeat:VirtualDomain, ocf:pacemaker:ping.
#   scale_create FLAVOUR N [ROLE]
#       One CIB update: N VMs vm1..vmN (allow-migrate, monitored every 10 s) and their pingd rules
#       (kept off nodes without connectivity), target-role ROLE (default Started: every VM is
#       probed on every node and started at once). No vip.
#   scale_vms N          prints vm1..vmN
#   scale_all_started N [NOT_ON]  every VM Started once, not failed, on an online node (other than NOT_ON)
#   scale_all_online     the three nodes online

scale_vms() { local i; for ((i = 1; i <= $1; i++)); do echo "vm$i"; done; }

# Every VM Started on exactly one online node (not NOT_ON), none failed or with a pending action.
scale_all_started() {
  local x want=$1 not_on=${2:-}
  local started="starts-with(@id,'vm') and @role='Started' and @failed='false' and @nodes_running_on='1' and not(@pending)"
  [[ -z $not_on ]] || started+=" and not(node/@name='$not_on')"
  x=$(crm_mon_xml) || return 1
  [[ $(crm_xpath "count(//resources/resource[$started])" <<<"$x") == "$want" ]]
}
scale_all_online() {
  local x
  x=$(crm_mon_xml) || return 1
  [[ $(crm_xpath "count(//nodes/node[@online='true' and @unclean='false' and @standby='false'])" <<<"$x") == "${#LAB_NODES[@]}" ]]
}

_scale_primitive() { # VM AGENT ROLE PARAMS...
  local vm=$1 agent=$2 role=$3 class provider type p
  IFS=: read -r class provider type <<<"$agent"
  shift 3
  printf '<primitive id="%s" class="%s" provider="%s" type="%s">' "$vm" "$class" "$provider" "$type"
  printf '<instance_attributes id="%s-instance_attributes">' "$vm"
  for p in "$@"; do printf '<nvpair id="%s-instance_attributes-%s" name="%s" value="%s"/>' "$vm" "${p%%=*}" "${p%%=*}" "${p#*=}"; done
  printf '</instance_attributes>'
  printf '<meta_attributes id="%s-meta_attributes">' "$vm"
  printf '<nvpair id="%s-meta_attributes-allow-migrate" name="allow-migrate" value="true"/>' "$vm"
  printf '<nvpair id="%s-meta_attributes-target-role" name="target-role" value="%s"/>' "$vm" "$role"
  printf '</meta_attributes><operations>'
  printf '<op id="%s-start" name="start" interval="0s" timeout="90s"/>' "$vm"
  printf '<op id="%s-stop" name="stop" interval="0s" timeout="60s"/>' "$vm"
  printf '<op id="%s-monitor-10s" name="monitor" interval="10s" timeout="30s"/>' "$vm"
  printf '<op id="%s-migrate_to" name="migrate_to" interval="0s" timeout="120s"/>' "$vm"
  printf '<op id="%s-migrate_from" name="migrate_from" interval="0s" timeout="60s"/>' "$vm"
  printf '</operations></primitive>\n'
}

_scale_pingd_rule() { # VM
  printf '<rsc_location id="%s-pingd" rsc="%s"><rule id="%s-pingd-rule" score="-INFINITY" boolean-op="or">' "$1" "$1" "$1"
  printf '<expression id="%s-pingd-lt" attribute="pingd" operation="lt" value="1" type="number"/>' "$1"
  printf '<expression id="%s-pingd-undef" attribute="pingd" operation="not_defined"/></rule></rsc_location>\n' "$1"
}

_scale_agents() { # FLAVOUR: sets ping_agent vm_agent
  case $1 in
    seapath) ping_agent=ocf:seapath:ping vm_agent=ocf:seapath:vm ;;
    stock) ping_agent=ocf:pacemaker:ping vm_agent=ocf:heartbeat:VirtualDomain ;;
    *) die "scale: FLAVOUR is seapath or stock" ;;
  esac
}

scale_prepare() {
  local flavour=${1:?usage: scale_prepare seapath|stock N} count=${2:?N} ping_agent vm_agent vm n xml
  lab_is_up || die "the lab is down: lab.sh up first"
  ceph_use "$LAB_ROOT/ceph" >/dev/null
  "$REPO/lab/guest/build.sh" >/dev/null || die "guest build (lab/guest/build.sh)"
  _scale_agents "$flavour"
  for vm in $(scale_vms "$count"); do
    xml=$LAB_ROOT/$vm.xml
    if ! ceph_rbd info "rbd/system_$vm" >/dev/null 2>&1; then
      libvirt_domain_xml "$vm" --serial "$LAB_ROOT/$vm.serial" >"$xml" || die "domain XML of $vm"
      ceph_system_image "$LAB_ROOT/ceph" "$vm" "$xml" 16 >/dev/null || die "rbd/system_$vm"
    fi
    # The stock agent reads the XML from a file on every node; ours fetches it from RBD.
    if [[ $flavour == stock ]]; then
      for n in "${LAB_NODES[@]}"; do
        in_node "$n" install -D -m 0644 "$xml" "/var/lib/pacemaker/seapath/$vm.xml" || die "$vm.xml on $n"
      done
    fi
  done
  local pcs=(in_cluster node1 pcs) ping_hosts=${LAB_ADDR[gateway]}
  # fping needs cap_net_raw, outside SEAPATH's bounding set: a hardened lab's ping probes the gateway by TCP.
  [[ ${LAB_HARDENED:-1} == 0 ]] || ping_hosts=tcp:${LAB_ADDR[gateway]}:$LAB_GATEWAY_PORT
  "${pcs[@]}" resource defaults update resource-stickiness=100 >/dev/null 2>&1 || die "resource defaults"
  "${pcs[@]}" resource create ping "$ping_agent" host_list="$ping_hosts" multiplier=1000 dampen=2s \
    op monitor interval=10s timeout=20s clone >/dev/null || die "ping clone"
}

# pcs would take seconds per VM; one update also makes the VMs and their rules appear together.
scale_create() {
  local flavour=${1:?usage: scale_create seapath|stock N [ROLE]} count=${2:?N} role=${3:-Started}
  local ping_agent vm_agent prims="" rules="" params vm
  _scale_agents "$flavour"
  for vm in $(scale_vms "$count"); do
    params=(config="/var/lib/pacemaker/seapath/$vm.xml" hypervisor=qemu:///system migration_transport=tcp)
    [[ $flavour == seapath ]] && params+=(seapath=true)
    prims+=$(_scale_primitive "$vm" "$vm_agent" "$role" "${params[@]}")
    rules+=$(_scale_pingd_rule "$vm")
  done
  in_cluster node1 cibadmin --modify --allow-create -o configuration \
    --xml-text "<configuration><resources>$prims</resources><constraints>$rules</constraints></configuration>" >/dev/null
}
