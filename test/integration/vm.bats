#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# ocf:seapath:vm on one libvirt node (a) with its disk and XML in a real Ceph (node ceph):
# ocf-tester, start/monitor/stop on RBD, bad input, and the split-brain guard.

bats_require_minimum_version 1.5.0

setup_file() {
  load vm-helpers
  vm_lab_up a
}

teardown_file() {
  load vm-helpers
  vm_lab_down a
}

setup() {
  load vm-helpers
}

_has_watcher() { [ -n "$(ceph_watchers "$VM_CEPH_DIR" "$1")" ]; }

@test "meta-data validates against the OCF 1.1 schema under both names, each with its own name" {
  local name
  for name in vm VirtualDomain; do
    run /usr/lib/ocf/resource.d/seapath/$name meta-data
    [ "$status" -eq 0 ]
    [[ $output == *"<resource-agent name=\"$name\""* ]]
    xmllint --noout --nonet --relaxng "$BATS_TEST_DIRNAME/../../spec/ocf-ra-api-1.1.rng" - <<<"$output"
  done
}

@test "ocf-tester passes every behavioural check; the one failure is the OCF 1.0 DTD check of 1.1 meta-data (reloadable parameters)" {
  vm_image vmtester --guest noos
  run in_node a env -u CEPH_CONF ocf-tester -v -n vmtester -o seapath=true -o "config=$VM_DIR/etc/vmtester.xml" \
    -o force_stop=true /usr/lib/ocf/resource.d/seapath/vm
  echo "$output"
  # ocf-tester prints "* rc=N: what failed" per failed check
  [ "$(grep -c '^\* rc=' <<<"$output")" -eq 1 ]
  [[ $output == *"* rc=4: Your agent produces meta-data which does not conform to ra-api-1.dtd"* ]]
  [ "$(vm_state a vmtester)" = absent ]
}

@test "start fetches the XML from RBD and starts a transient domain; monitor and probe say 0" {
  vm_image vm1
  rm -f "$VM_DIR/etc/vm1.xml"
  run vm_agent a start vm1
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(vm_state a vm1)" = running ]
  # the local config is the copy of the XML in RBD
  diff <(ceph_rbd image-meta get rbd/system_vm1 xml) "$VM_DIR/etc/vm1.xml"
  # the domain is transient, as with VirtualDomain (libvirt forgets it when it stops), and its QEMU is the image's watcher
  libvirt_virsh a dominfo vm1 | grep -q '^Persistent: *no'
  [[ $(ceph_watchers "$VM_CEPH_DIR" rbd/system_vm1) == "watcher=${VM_NODE_IP[a]}:0/"* ]]
  vm_monitor_is a vm1 0 10000
  vm_monitor_is a vm1 0 0
  # VirtualDomain's status: the monitor under another name (IPaddr2's words on stdout)
  VM_AGENT=VirtualDomain run --separate-stderr vm_agent a status vm1
  [ "$status" -eq 0 ]
  [ "$output" = running ]
  # starting a running VM succeeds and leaves it alone
  local pid
  pid=$(libvirt_domain_pid a vm1)
  run vm_agent a start vm1
  [ "$status" -eq 0 ]
  [ "$(libvirt_domain_pid a vm1)" = "$pid" ]
}

@test "stop shuts the booted guest down through ACPI, forgets the definition, and a second stop is 0" {
  vm_needs a vm1
  libvirt_wait_guest_up "$VM_DIR/vm1.serial" 60
  run vm_agent a stop vm1
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"shutting down vm1"* ]]
  [[ $output != *"destroying vm1"* ]]
  [ "$(vm_state a vm1)" = absent ]
  ceph_unwatched "$VM_CEPH_DIR" rbd/system_vm1
  vm_monitor_is a vm1 7 10000
  vm_monitor_is a vm1 7 0
  VM_AGENT=VirtualDomain run --separate-stderr vm_agent a status vm1
  [ "$status" -eq 7 ]
  [ "$output" = stopped ]
  run vm_agent a stop vm1
  [ "$status" -eq 0 ]
}

@test "a guest that ignores ACPI is destroyed once its graceful share of the stop timeout is spent" {
  vm_image vmdeaf --guest noos
  vm_agent a start vmdeaf
  local t0=$SECONDS
  OCF_TIMEOUT_MS=10000 run vm_agent a stop vmdeaf
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"did not shut down in time; destroying it"* ]]
  # 10 s timeout: 9 s budget, 4.5 s graceful; the whole stop stays under the timeout
  (( SECONDS - t0 < 10 ))
  [ "$(vm_state a vmdeaf)" = absent ]
}

@test "force_stop=true destroys at once" {
  vm_image vmforce --guest noos
  vm_agent a start vmforce
  run vm_agent a stop vmforce force_stop=true
  [ "$status" -eq 0 ]
  [[ $output != *"shutting down"* ]]
  [ "$(vm_state a vmforce)" = absent ]
}

@test "the split-brain guard: a watcher of the image on another client refuses the start, and nothing starts" {
  vm_image vmsb --guest noos
  # another client has the image open, as the QEMU of another host would
  # shellcheck disable=SC2016 # expanded by the inner shell, not this one
  in_node ceph setsid /bin/sh -c 'echo $$ >"$0"; sleep 60 | rbd watch rbd/system_vmsb' "$VM_DIR/watch.pid" \
    >/dev/null 2>&1 3>&- &
  wait_until 10 "rbd watch to register" _has_watcher rbd/system_vmsb
  run vm_agent a start vmsb
  kill -- "-$(cat "$VM_DIR/watch.pid")"
  echo "$output"
  [ "$status" -eq 1 ]
  local refused="refusing to start vmsb: held by client." held="rbd/system_vmsb is held by client."
  [[ $(ocf_exit_reason) == "$refused"*" at $VM_CEPH_IP:0/"*"$held"*"(watcher)"*"may be running on another host"* ]]
  [ "$(vm_state a vmsb)" = absent ]
}

@test "the split-brain guard: a lock on the image refuses the start; check_image_in_use=false lets it start" {
  vm_image vmlock --guest noos
  ceph_rbd lock add rbd/system_vmlock otherhost
  run vm_agent a start vmlock
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == *"rbd/system_vmlock is held by client."*"(lock 'otherhost')"* ]]
  [ "$(vm_state a vmlock)" = absent ]
  run vm_agent a start vmlock check_image_in_use=false
  [ "$status" -eq 0 ]
  [ "$(vm_state a vmlock)" = running ]
  vm_agent a stop vmlock force_stop=true
}

@test "bad input: no config with seapath=false is 6 for start and validate-all, 0 for stop, 7 for a probe" {
  run vm_agent a start vmx seapath=false config=
  [ "$status" -eq 6 ]
  [[ $(ocf_exit_reason) == "parameter config is not set"* ]]
  run vm_agent a validate-all vmx seapath=false config=
  [ "$status" -eq 6 ]
  run vm_agent a stop vmx seapath=false config=
  [ "$status" -eq 0 ]
  run vm_agent a monitor vmx seapath=false config= CRM_meta_interval=0
  [ "$status" -eq 7 ]
}

@test "the domain is the XML's <name>, as in stock VirtualDomain: resource vm1 with an XML named test0 runs, seapath=false and true" {
  # the XML of domain test0 with the disk of resource vm1n's image
  libvirt_domain_xml test0 --guest noos | sed 's|system_test0|system_vm1n|' >"$VM_DIR/test0.xml"
  ceph_system_image "$VM_CEPH_DIR" vm1n "$VM_DIR/test0.xml"
  local seapath args
  for seapath in false true; do
    args=("seapath=$seapath")
    [ $seapath = true ] || args+=("config=$VM_DIR/test0.xml")
    run vm_agent a start vm1n "${args[@]}"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(vm_state a test0)" = running ]
    run vm_agent a monitor vm1n "${args[@]}" CRM_meta_interval=10000
    [ "$status" -eq 0 ]
    if [ $seapath = true ]; then
      # a probe without the local XML learns the name test0 from RBD, since a domain runs here
      rm "$VM_DIR/etc/vm1n.xml"
      vm_monitor_is a vm1n 0 0
    fi
    run vm_agent a stop vm1n "${args[@]}" force_stop=true
    [ "$status" -eq 0 ]
    [ "$(vm_state a test0)" = absent ]
    run vm_agent a monitor vm1n "${args[@]}" CRM_meta_interval=0
    [ "$status" -eq 7 ]
  done
}

@test "bad input: a config that is not XML is 6 in RBD (every node), 5 as a local file; a config file missing here is 5; nothing is left" {
  echo 'not <xml' >"$VM_DIR/broken.xml"
  ceph_system_image "$VM_CEPH_DIR" vmbroken "$VM_DIR/broken.xml"
  run vm_agent a start vmbroken
  [ "$status" -eq 6 ]
  [[ $(ocf_exit_reason) == "the domain XML in the 'xml' metadata of rbd/system_vmbroken is unusable: not well-formed XML"* ]]
  [ ! -e "$VM_DIR/etc/vmbroken.xml" ]
  run vm_agent a start vmbroken seapath=false "config=$VM_DIR/broken.xml"
  [ "$status" -eq 5 ]
  [[ $(ocf_exit_reason) == "the domain XML in $VM_DIR/broken.xml is unusable on this node: not well-formed XML"* ]]
  run vm_agent a start vmmissing seapath=false "config=$VM_DIR/nowhere/vmmissing.xml"
  [ "$status" -eq 5 ]
  [[ $(ocf_exit_reason) == "config file $VM_DIR/nowhere/vmmissing.xml does not exist on this node" ]]
  # no stray definition, no stray state
  [ -z "$(libvirt_virsh a list --all --name)" ]
  run in_node a test -e /run/resource-agents/seapath-vm-vmbroken.json
  [ "$status" -ne 0 ]
}

@test "no stale RAM over a newer disk: a probe keeps a managed-save image and warns, start removes it; the VM boots fresh, leaves none" {
  vm_image vmsaved --guest noos
  # a persistent definition with saved RAM, as an earlier persistent agent or an admin could leave
  ceph_rbd image-meta get rbd/system_vmsaved xml >"$VM_DIR/vmsaved.def.xml"
  libvirt_virsh a define "$VM_DIR/vmsaved.def.xml" >/dev/null
  libvirt_virsh a start vmsaved >/dev/null
  libvirt_virsh a managedsave vmsaved >/dev/null
  libvirt_virsh a dominfo vmsaved | grep -q '^Managed save: *yes'
  # a probe keeps saved RAM (maintenance mode, an unmanaged resource) and warns; start removes it
  run vm_agent a monitor vmsaved CRM_meta_interval=0
  echo "$output"
  [ "$status" -eq 7 ]
  [[ $output == *"vmsaved is defined here with a managed-save image"* ]]
  libvirt_virsh a dominfo vmsaved | grep -q '^Managed save: *yes'
  run vm_agent a start vmsaved
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"vmsaved is defined here but not running: removing that definition (and any saved RAM image)"* ]]
  [[ $(libvirt_virsh a domstate --reason vmsaved) == "running (booted)" ]]
  libvirt_virsh a dominfo vmsaved | grep -q '^Persistent: *no'
  run vm_agent a stop vmsaved force_stop=true
  [ "$status" -eq 0 ]
  [ "$(vm_state a vmsaved)" = absent ]
  # a probe changes nothing: a definition without saved RAM is reported, and a stop removes it
  libvirt_virsh a define "$VM_DIR/vmsaved.def.xml" >/dev/null
  run vm_agent a monitor vmsaved CRM_meta_interval=0
  [ "$status" -eq 7 ]
  [[ $output == *"vmsaved is defined here but not running: a manual virsh start here would bypass the image guard"* ]]
  [ "$(vm_state a vmsaved)" = "shut off" ]
  run vm_agent a stop vmsaved
  [ "$status" -eq 0 ]
  [ "$(vm_state a vmsaved)" = absent ]
}

@test "config in libvirt's own directory (/etc/libvirt/qemu): a probe keeps the definition; start, stop rewrite the file undefine deletes" {
  vm_image vmlv --guest noos
  local conf=/etc/libvirt/qemu/vmlv.xml params=(seapath=false config=/etc/libvirt/qemu/vmlv.xml)
  libvirt_virsh a define "$VM_DIR/vmlv.xml" >/dev/null
  in_node a test -f "$conf"
  run vm_agent a monitor vmlv CRM_meta_interval=0 "${params[@]}"
  [ "$status" -eq 7 ]
  [ "$(vm_state a vmlv)" = "shut off" ]
  in_node a test -f "$conf"
  run vm_agent a start vmlv "${params[@]}"
  [ "$status" -eq 0 ]
  [ "$(vm_state a vmlv)" = running ]
  in_node a test -f "$conf"
  run vm_agent a stop vmlv force_stop=true "${params[@]}"
  [ "$status" -eq 0 ]
  # defined again (libvirtd reads its directory when it restarts): stop undefines it and keeps the file
  libvirt_virsh a define "$VM_DIR/vmlv.xml" >/dev/null
  run vm_agent a stop vmlv "${params[@]}"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(vm_state a vmlv)" = absent ]
  in_node a test -f "$conf"
  in_node a rm -f "$conf"
}

@test "a stop that leaves libvirt without the domain runs no virsh undefine: nothing is left to undefine" {
  vm_image vmtrans --guest noos
  vm_agent a start vmtrans
  mkdir -p "$VM_DIR/logbin"
  cat >"$VM_DIR/logbin/virsh" <<EOF
#!/bin/sh
echo "\$1" >>"$VM_DIR/logbin/calls"
exec /usr/bin/virsh "\$@"
EOF
  chmod +x "$VM_DIR/logbin/virsh"
  OCF_PATH="$VM_DIR/logbin:$OCF_PATH" run vm_agent a stop vmtrans force_stop=true
  echo "$output"; cat "$VM_DIR/logbin/calls"
  [ "$status" -eq 0 ]
  [ "$(vm_state a vmtrans)" = absent ]
  grep -qx destroy "$VM_DIR/logbin/calls"
  [ "$(grep -cx undefine "$VM_DIR/logbin/calls")" -eq 0 ]
}

@test "a slow virsh undefine of a persistent domain after a successful destroy does not fail the stop (kit best-effort step)" {
  vm_image vmslow --guest noos
  vm_agent a start vmslow
  # persistent, as an admin's `virsh define` or an earlier agent leaves it
  libvirt_virsh a dumpxml vmslow >"$VM_DIR/vmslow.def.xml"
  libvirt_virsh a define "$VM_DIR/vmslow.def.xml" >/dev/null
  mkdir -p "$VM_DIR/slowbin"
  printf '#!/bin/sh\ncase " $* " in *" undefine "*) exec sleep 30;; esac\nexec /usr/bin/virsh "$@"\n' >"$VM_DIR/slowbin/virsh"
  chmod +x "$VM_DIR/slowbin/virsh"
  OCF_PATH="$VM_DIR/slowbin:$OCF_PATH" OCF_TIMEOUT_MS=4000 run vm_agent a stop vmslow force_stop=true
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"virsh undefine vmslow (best effort) did not complete"* ]]
  [[ $(vm_state a vmslow) == "shut off" ]]
  libvirt_virsh a undefine vmslow >/dev/null
}

@test "start_resources starts the libvirt network the domain XML names, which a plain start lacks" {
  local nic="<interface type='network'><source network='vmnet-lan'/><model type='virtio'/></interface>"
  libvirt_domain_xml vmnet --guest noos | sed "s|</devices>|$nic</devices>|" >"$VM_DIR/vmnet.xml"
  ceph_system_image "$VM_CEPH_DIR" vmnet "$VM_DIR/vmnet.xml"
  # a bridge-mode network over a bridge of the node: libvirt needs no firewall for it
  in_node a ip link add vmnetbr0 type bridge
  in_node a ip link set vmnetbr0 up
  printf "<network><name>vmnet-lan</name><forward mode='bridge'/><bridge name='vmnetbr0'/></network>\n" >"$VM_DIR/vmnet-lan.xml"
  libvirt_virsh a net-define "$VM_DIR/vmnet-lan.xml" >/dev/null
  run vm_agent a start vmnet
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == *"network 'vmnet-lan' is not active"* ]]
  run vm_agent a start vmnet start_resources=true
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $(libvirt_virsh a net-info vmnet-lan) == *"Active:"*"yes"* ]]
  [ "$(vm_state a vmnet)" = running ]
  vm_agent a stop vmnet force_stop=true
  libvirt_virsh a net-destroy vmnet-lan >/dev/null
  libvirt_virsh a net-undefine vmnet-lan >/dev/null
  in_node a ip link del vmnetbr0
}

@test "monitor_scripts and shutdown_mode act as in VirtualDomain" {
  vm_image vmopt --guest noos
  printf '#!/bin/sh\n[ -e "%s" ]\n' "$VM_DIR/vmopt.healthy" >"$VM_DIR/vmopt-check"
  chmod +x "$VM_DIR/vmopt-check"
  touch "$VM_DIR/vmopt.healthy"
  run vm_agent a start vmopt "monitor_scripts=$VM_DIR/vmopt-check"
  echo "$output"
  [ "$status" -eq 0 ]
  run vm_agent a monitor vmopt "monitor_scripts=$VM_DIR/vmopt-check" CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  rm "$VM_DIR/vmopt.healthy"
  run vm_agent a monitor vmopt "monitor_scripts=$VM_DIR/vmopt-check" CRM_meta_interval=10000
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "monitor script $VM_DIR/vmopt-check of vmopt exited 1" ]]
  # the noos guest has no agent: libvirt refuses the mode, and stop asks again without it
  OCF_TIMEOUT_MS=8000 run vm_agent a stop vmopt shutdown_mode=agent
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"virsh shutdown --mode agent vmopt failed"*"asking without a mode"* ]]
  [ "$(vm_state a vmopt)" = absent ]
}

@test "a probe without the XML: 7 without reading Ceph on a node with no domain; with a domain there it fetches the XML and says 7" {
  vm_image vmprobe --guest noos
  rm -f "$VM_DIR/etc/vmprobe.xml"
  [ -z "$(libvirt_virsh a list --all --name)" ] || { echo "precondition: node a should have no domain"; return 1; }
  run vm_agent a monitor vmprobe CRM_meta_interval=0
  echo "$output"
  [ "$status" -eq 7 ]
  [[ $output == *"libvirt knows no domain and no QEMU runs on this node"* ]]
  [ ! -e "$VM_DIR/etc/vmprobe.xml" ]
  # another domain defined here: the probe needs vmprobe's domain name, from its XML in RBD (as SEAPATH's agent does)
  libvirt_domain_xml vmother --guest noos >"$VM_DIR/vmother.xml"
  libvirt_virsh a define "$VM_DIR/vmother.xml" >/dev/null
  run vm_agent a monitor vmprobe CRM_meta_interval=0
  libvirt_virsh a undefine vmother >/dev/null
  echo "$output"
  [ "$status" -eq 7 ]
  [[ $output == *"fetched the domain XML from rbd/system_vmprobe"* ]]
  diff <(ceph_rbd image-meta get rbd/system_vmprobe xml) "$VM_DIR/etc/vmprobe.xml"
}

@test "bad input: seapath=true with no system image is 6 naming the image" {
  run vm_agent a start vmnoimage
  [ "$status" -eq 6 ]
  [[ $(ocf_exit_reason) == "RBD image rbd/system_vmnoimage does not exist"* ]]
  vm_monitor_is a vmnoimage 7 0
  # a pool that does not exist is the same configuration error, not a failure to try on every node
  run vm_agent a start vmnoimage pool=nopool
  [ "$status" -eq 6 ]
  [[ $(ocf_exit_reason) == "RBD pool nopool of nopool/system_vmnoimage does not exist: set pool to the pool that holds system_vmnoimage" ]]
}

@test "bad input: virsh or rbd missing on this node is 5 for start, 7 for a probe, 0 for stop" {
  vm_image vmtools --guest noos
  local tool
  for tool in virsh rbd; do
    run vm_agent_hiding "$tool" a start vmtools
    [ "$status" -eq 5 ]
    [[ $(ocf_exit_reason) == "$tool is not installed on this node (needed by vm)" ]]
    run vm_agent_hiding "$tool" a monitor vmtools CRM_meta_interval=0
    [ "$status" -eq 7 ]
    run vm_agent_hiding "$tool" a stop vmtools
    [ "$status" -eq 0 ]
  done
  [ "$(vm_state a vmtools)" = absent ]
}

@test "rbd missing, check_image_in_use on, an XML with no RBD disk (seapath=false): start runs the VM, there is nothing to check" {
  vm_image vmnorbd --guest noos
  local xml="$VM_DIR/vmnorbd-local.xml"
  sed '/<disk /,/<\/disk>/d' "$VM_DIR/vmnorbd.xml" >"$xml"
  ! grep -q "protocol=.rbd" "$xml" || false
  run vm_agent_hiding rbd a start vmnorbd seapath=false config="$xml"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"check_image_in_use: vmnorbd has no writable RBD disk to check; nothing but Pacemaker keeps it from running twice"* ]]
  [ "$(vm_state a vmnorbd)" = running ]
  run vm_agent a stop vmnorbd seapath=false config="$xml"
  [ "$status" -eq 0 ]
  [ "$(vm_state a vmnorbd)" = absent ]
}

@test "rbd missing, check_image_in_use on, an XML with an RBD disk (seapath=false): start is 5 naming the image, before touching libvirt" {
  vm_image vmrbdgone --guest noos
  grep -q "protocol=.rbd" "$VM_DIR/vmrbdgone.xml"
  run vm_agent_hiding rbd a start vmrbdgone seapath=false config="$VM_DIR/vmrbdgone.xml"
  echo "$output"
  [ "$status" -eq 5 ]
  [[ $(ocf_exit_reason) == "rbd is not installed on this node (needed by check_image_in_use to check "*"vmrbdgone"* ]]
  [ "$(vm_state a vmrbdgone)" = absent ]
}

@test "a stop without virsh still kills the domain's QEMU rather than report a running VM stopped" {
  vm_image vmnovirsh --guest noos
  vm_agent a start vmnovirsh
  local pid
  pid=$(libvirt_domain_pid a vmnovirsh)
  run vm_agent_hiding virsh a stop vmnovirsh
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"killing its QEMU (pid $pid)"* ]]
  ! proc_alive "$pid" || false
  libvirt_virsh a undefine vmnovirsh >/dev/null 2>&1 || true
}

@test "ceph_client_id, ceph_keyring and ceph_conf reach rbd: client.libvirt works; an unknown client or conf is 1 with rbd's reason" {
  vm_image vmcl --guest noos
  run vm_agent a start vmcl ceph_client_id=nobody
  echo "$output"
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == "cannot read the domain XML of rbd/system_vmcl: rbd image-meta exited "* ]]
  run vm_agent a start vmcl ceph_conf=/nonexistent/ceph.conf
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == *"/nonexistent/ceph.conf"* ]]
  [ "$(vm_state a vmcl)" = absent ]
  run vm_agent a start vmcl ceph_client_id=libvirt ceph_keyring=/etc/ceph/ceph.client.libvirt.keyring ceph_conf=/etc/ceph/ceph.conf
  [ "$status" -eq 0 ]
  [ "$(vm_state a vmcl)" = running ]
  vm_agent a stop vmcl force_stop=true
}
