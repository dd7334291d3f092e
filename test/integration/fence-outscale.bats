#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# integration-lane: side
# fence_outscale, installed (/usr/sbin/fence_outscale), driven as pacemaker-fenced drives it (key=value on
# stdin, no argv, PCMK_service=pacemaker-fenced, SIGKILL at the timeout) against the Outscale API simulator.
# The agent and the simulator share one test node: nothing can reach an address outside it.

bats_require_minimum_version 1.5.0

setup_file() {
  load ../../lab/lib/node
  load fence-outscale-helpers
  node_setup fo
  fo_config '. + {
  "auth": { "maxSkewSeconds": 300, "services": ["api"], "lockout": { "enabled": true, "afterFailures": 4, "durationMs": 60000 } },
  "timings": { "stopMs": 3000, "forceStopMs": 600, "startMs": 500 },
  "vms": [
    { "vmId": "i-0000000a", "state": "running", "tags": { "Name": "node1", "cluster": "lab" } },
    { "vmId": "i-0000000b", "state": "running", "tags": { "Name": "node2", "cluster": "lab" } },
    { "vmId": "i-0000000c", "state": "terminated", "tags": { "Name": "node3" } },
    { "vmId": "i-0000000d", "state": "stopped", "tags": { "Name": "node4", "cluster": "lab" } },
    { "vmId": "i-0000000e", "state": "running", "tags": { "Name": "twin" } },
    { "vmId": "i-0000000f", "state": "running", "tags": { "Name": "twin" } },
    { "vmId": "i-00000010", "state": "running", "tags": { "Name": "node6", "cluster": "other" }, "shutdownBehavior": "restart" },
    { "vmId": "i-00000011", "state": "running", "tags": { "Name": "node5" } },
    { "vmId": "i-00000012", "state": "running", "tags": { "Name": "node7" }, "shutdownBehavior": "terminate" }
  ],
  "metadata": { "instanceId": "i-0000000a" }
}' >"$BATS_FILE_TMPDIR/sim.json"
  fo_setup fo1 "$BATS_FILE_TMPDIR/sim.json"
}

teardown_file() {
  load ../../lab/lib/node
  node_teardown
}

setup() {
  load ../../lab/lib/node
  load fence-outscale-helpers
  FO_ENV=()
  FO_KILL_AFTER=
  fo_sim POST /_sim/reset >/dev/null
}

teardown() {
  # Every request the agent sent in this test follows the spec's schemas.
  fo_assert_schema_clean
}

@test "meta-data validates against fence-agents' metadata.rng, with no configuration" {
  run --separate-stderr in_node "$FO_NODE" /usr/sbin/fence_outscale -o metadata
  [ "$status" -eq 0 ]
  run xmllint --noout --relaxng /usr/share/cluster/relaxng/metadata.rng - <<<"$output"
  [ "$status" -eq 0 ]
  [[ $output == *"- validates"* ]]
}

@test "stonith_admin --metadata and pcs stonith describe know fence_outscale" {
  run --separate-stderr stonith_admin --metadata -a fence_outscale
  [ "$status" -eq 0 ]
  [[ $output == *'<parameter name="plug"'* ]]
  [[ $output == *'<parameter name="port"'* ]]
  run --separate-stderr pcs stonith describe fence_outscale
  [ "$status" -eq 0 ]
  [[ $output == *"secret_key:"* ]]
  [[ $output == *"region:"* ]]
}

@test "status by node name (port=, Pacemaker 2.1) prints Status: ON and exits 0" {
  run --separate-stderr fo_agent action=status nodename=node5 port=node5
  [ "$status" -eq 0 ]
  [ "$output" = "Status: ON" ]
  # shellcheck disable=SC2154 # stderr is set by bats' run --separate-stderr
  [[ $stderr == *"VM i-00000011 (plug node5) is running: ON (fenced only when stopped or terminated)"* ]]
}

@test "status of a stopped VM (plug=, Pacemaker 3.x) prints Status: OFF and exits 2" {
  run --separate-stderr fo_agent action=status nodename=node4 plug=node4
  [ "$status" -eq 2 ]
  [ "$output" = "Status: OFF" ]
}

@test "a terminated VM counts as fenced; a live VM with its old name is not confused with it" {
  run --separate-stderr fo_agent action=status plug=node3
  [ "$status" -eq 2 ]
}

@test "off by node name (port=): StopVms with ForceStop, polls until stopped, exits 0" {
  run --separate-stderr fo_agent action=off nodename=node5 port=node5
  [ "$status" -eq 0 ]
  [ "$output" = "Success: Powered OFF" ]
  [ "$(fo_vm_state i-00000011)" = stopped ]
  run fo_requests StopVms
  [ "${#lines[@]}" -eq 1 ]
  [ "$(jq -c .body <<<"${lines[0]}")" = '{"VmIds":["i-00000011"],"ForceStop":true}' ]
}

@test "a verbose_level that does not parse does not stop a fencing: read as 0 with a warning, as fencing.py" {
  run --separate-stderr fo_agent action=off nodename=node5 port=node5 verbose=1 verbose_level=high
  [ "$status" -eq 0 ]
  [ "$output" = "Success: Powered OFF" ]
  [ "$(fo_vm_state i-00000011)" = stopped ]
  [[ $stderr == *"ignoring verbose_level=high ("*"): using 0"* ]]
  [[ $stderr != *DEBUG* ]]
}

@test "off by VM id (plug=, Pacemaker 3.x) exits 0 and the VM is stopped" {
  run --separate-stderr fo_agent action=off nodename=node5 plug=i-00000011
  [ "$status" -eq 0 ]
  [ "$(fo_vm_state i-00000011)" = stopped ]
}

@test "off of a VM that reads stopped still sends StopVms: one read is not proof" {
  run --separate-stderr fo_agent action=off port=node4
  [ "$status" -eq 0 ]
  [ "$output" = "Success: Already OFF" ]
  [ "$(fo_requests StopVms | jq -c .body)" = '{"VmIds":["i-0000000d"],"ForceStop":true}' ]
}

@test "a stale 'stopped' answer: off sends StopVms anyway, and the VM ends stopped" {
  fo_sim POST /_sim/faults '{"staleStopped":{"i-00000011":1}}'
  run --separate-stderr fo_agent action=off port=node5
  [ "$status" -eq 0 ]
  [ "$(fo_requests StopVms | wc -l)" -eq 1 ]
  [ "$(fo_vm_state i-00000011)" = stopped ]
}

@test "two stale 'stopped' answers of a VM that never stops: off is not 'Already OFF', it times out and exits 1" {
  fo_sim POST /_sim/faults '{"staleStopped":{"i-00000011":2},"neverStopVmIds":["i-00000011"]}'
  run --separate-stderr fo_agent action=off port=node5 power_timeout=3
  [ "$status" -eq 1 ]
  [ "$output" = "" ]
  [[ $stderr == *"Failed: Timed out waiting to power OFF node5"* ]]
  [ "$(fo_vm_state i-00000011)" = stopping ]
}

@test "two stale 'stopped' answers: off waits for the real stop and says Powered OFF" {
  fo_sim POST /_sim/faults '{"staleStopped":{"i-00000011":2}}'
  run --separate-stderr fo_agent action=off port=node5
  [ "$status" -eq 0 ]
  [ "$output" = "Success: Powered OFF" ]
  [ "$(fo_vm_state i-00000011)" = stopped ]
}

@test "a VM that a stop would delete (VmInitiatedShutdownBehavior=terminate) is refused, naming the VM and the fix" {
  run --separate-stderr fo_agent action=off port=node7
  [ "$status" -eq 1 ]
  local refused="VM i-00000012 (node7) has VmInitiatedShutdownBehavior=terminate"
  local fix="UpdateVm with VmInitiatedShutdownBehavior=stop on i-00000012"
  [[ $stderr == *"$refused"*"$fix"* ]]
  [ -z "$(fo_requests StopVms)" ]
  [ "$(fo_vm_state i-00000012)" = running ]
}

@test "on starts a stopped VM and waits until it runs" {
  run --separate-stderr fo_agent action=on port=node4
  [ "$status" -eq 0 ]
  [ "$output" = "Success: Powered ON" ]
  [ "$(fo_vm_state i-0000000d)" = running ]
  [ "$(fo_requests StartVms | jq -c .body)" = '{"VmIds":["i-0000000d"]}' ]
}

@test "reboot stops, waits for stopped, then starts" {
  run --separate-stderr fo_agent action=reboot port=node5
  [ "$status" -eq 0 ]
  [ "$output" = "Success: Rebooted" ]
  [ "$(fo_vm_state i-00000011)" = running ]
  run fo_requests
  [[ $(jq -r 'select(.op == "StopVms" or .op == "StartVms") | .op' <<<"$output" | paste -sd,) == "StopVms,StartVms" ]]
}

@test "list prints vmid,name for every VM, and filter limits it to a tag" {
  run --separate-stderr fo_agent action=list
  [ "$status" -eq 0 ]
  [[ $output == *"i-0000000b,node2"* ]]
  [ "${#lines[@]}" -eq 9 ]
  run --separate-stderr fo_agent action=list filter=cluster=lab
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'i-0000000a,node1\ni-0000000b,node2\ni-0000000d,node4')" ]
  run --separate-stderr fo_agent action=list-status filter=cluster=lab
  [ "$output" = "$(printf 'i-0000000a,node1,on\ni-0000000b,node2,on\ni-0000000d,node4,off')" ]
}

@test "monitor makes one cheap signed call and exits 0" {
  run --separate-stderr fo_agent action=monitor
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  run fo_requests
  [ "${#lines[@]}" -eq 1 ]
  [ "$(jq -c '[.op, .body, .auth]' <<<"${lines[0]}")" = '["ReadVms",{"ResultsPerPage":1},"ok"]' ]
}

@test "with filter set, a VM outside it is never fenced, by tag or by ID" {
  fo_fails_with "no VM with the tag Name=node5 carries the tag cluster=lab (filter)" action=off port=node5 filter=cluster=lab
  fo_fails_with "VM i-00000011 does not carry the tag cluster=lab (filter)" action=reboot port=i-00000011 filter=cluster=lab
  [ -z "$(fo_requests StopVms)" ]
  [ "$(fo_vm_state i-00000011)" = running ]
  run --separate-stderr fo_agent action=off port=node2 filter=cluster=lab
  [ "$status" -eq 0 ]
  [ "$(fo_vm_state i-0000000b)" = stopped ]
}

@test "a filter that matches no VM fails monitor and validate-all, naming the filter" {
  fo_fails_with "filter cluster=nomatch matches no VM in this account and region" action=monitor filter=cluster=nomatch
  fo_fails_with "validate-all failed" action=validate-all filter=cluster=nomatch
  run --separate-stderr fo_agent action=monitor filter=cluster=lab
  [ "$status" -eq 0 ]
}

@test "a wrong secret key fails monitor at once: 401 is never retried" {
  fo_fails_with "HTTP 401" action=monitor secret_key=SKWRONGwrongWRONG000000000000000000000000
  [[ $stderr == *"not retried"* ]]
  [[ $stderr != *SKWRONG* ]]
  [ "$(fo_requests | wc -l)" -eq 1 ]
}

@test "three 429 answers, then off still succeeds" {
  fo_sim POST /_sim/faults '{"operations":{"*":{"failures":{"count":3,"status":429,"code":"25"}}}}'
  run --separate-stderr fo_agent action=off port=node5
  [ "$status" -eq 0 ]
  [ "$(fo_vm_state i-00000011)" = stopped ]
  [ "$(fo_requests | jq -r .status | head -4 | paste -sd,)" = "429,429,429,200" ]
}

@test "503 and 500 are retried" {
  local faults='{"operations":{"ReadVms":{"failures":{"count":1,"status":503}},"StopVms":{"failures":{"count":1,"status":500}}}}'
  fo_sim POST /_sim/faults "$faults"
  run --separate-stderr fo_agent action=off port=node5
  [ "$status" -eq 0 ]
  [ "$(fo_requests StopVms | jq -r .status | paste -sd,)" = "500,200" ]
}

@test "an API that never answers: each request times out, retries are bounded, status exits 1 with 'timed out'" {
  fo_sim POST /_sim/faults '{"hang":"forever"}'
  local started=$SECONDS
  fo_fails_with "request timed out" action=status port=node5 shell_timeout=1 api_retries=2
  (( SECONDS - started < 8 ))
  [ "$(fo_requests | wc -l)" -eq 3 ]
}

@test "a VM that never stops: off fails with 'Timed out waiting to power OFF' after power_timeout" {
  fo_sim POST /_sim/faults '{"neverStopVmIds":["i-00000011"]}'
  fo_fails_with "Timed out waiting to power OFF" action=off port=node5 power_timeout=2 disable_timeout=false
}

@test "under pacemaker-fenced power_timeout is honoured: a stuck off says 'Timed out waiting to power OFF' before any SIGKILL" {
  fo_sim POST /_sim/faults '{"neverStopVmIds":["i-00000011"]}'
  FO_KILL_AFTER=20
  fo_fails_with "Failed: Timed out waiting to power OFF node5" action=off port=node5 power_timeout=2
}

@test "with disable_timeout=true a stuck off polls until the SIGKILL at the timeout, and leaves nothing running" {
  fo_sim POST /_sim/faults '{"neverStopVmIds":["i-00000011"]}'
  FO_KILL_AFTER=3
  run --separate-stderr fo_agent action=off port=node5 power_timeout=1 disable_timeout=true
  [ "$status" -eq 137 ]
  [ "$(fo_requests StopVms | wc -l)" -eq 1 ]
  (( $(fo_requests ReadVms | wc -l) >= 5 ))
  local pids pid
  pids=$(node_pids "$FO_NODE")
  [ -n "$pids" ]
  for pid in $pids; do
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) != fence_outscale ]]
  done
}

@test "a VM that restarts on stop (VmInitiatedShutdownBehavior=restart) is refused: off could never confirm it" {
  fo_fails_with "VM i-00000010 (node6) has VmInitiatedShutdownBehavior=restart" action=off port=node6 power_timeout=3
  [ -z "$(fo_requests StopVms)" ]
}

@test "a tag that matches two VMs fails with a clear message, and nothing is stopped" {
  fo_fails_with "the tag Name=twin matches 2 VMs (i-0000000e, i-0000000f); nothing was done" action=off port=twin
  [ -z "$(fo_requests StopVms)" ]
}

@test "a plug that matches no VM fails with a clear message, and nothing is stopped" {
  fo_fails_with "no VM has the tag Name=nosuchnode" action=off port=nosuchnode
  fo_fails_with "no VM i-0000abcd" action=off port=i-0000abcd
  [ -z "$(fo_requests StopVms)" ]
}

@test "the agent fences its own VM when Pacemaker asks (self-fencing), unless refuse_self_fencing" {
  fo_fails_with "refusing to fence node1: VM i-0000000a is the VM this agent runs on" action=off port=node1 refuse_self_fencing=true
  [ -z "$(fo_requests StopVms)" ]
  run --separate-stderr fo_agent action=off port=node1 refuse_self_fencing=0
  [ "$status" -eq 0 ]
  [[ $stderr == *"fencing node1, the VM this agent runs on (i-0000000a)"* ]]
  [ "$(fo_vm_state i-0000000a)" = stopped ]
}

@test "the agent does not shoot back while its own VM is being stopped (skip_race_check=0 keeps the check)" {
  fo_sim POST /_sim/faults '{"neverStopVmIds":["i-0000000a"]}'
  run --separate-stderr fo_agent action=off port=node1 skip_race_check=true power_timeout=1
  fo_fails_with "this node's own VM i-0000000a is stopping" action=off port=node5 skip_race_check=0
  [ "$(fo_vm_state i-00000011)" = running ]
}

@test "a hanging metadata service delays off by at most login_timeout, then fencing goes on" {
  fo_sim POST /_sim/faults '{"metadata":"hang"}'
  local started=$SECONDS
  run --separate-stderr fo_agent action=off port=node5 login_timeout=1
  [ "$status" -eq 0 ]
  [[ $stderr == *"did not answer within 1 s"* ]]
  (( SECONDS - started < 6 ))
}

@test "the default metadata address (169.254.169.254) cannot be reached from the node: the agent does not hang" {
  local started=$SECONDS
  run --separate-stderr fo_agent action=off port=node5 metadata_url=http://169.254.169.254/latest/meta-data/instance-id login_timeout=2
  [ "$status" -eq 0 ]
  [[ $stderr == *"fencing without the race check"* ]]
  (( SECONDS - started < 8 ))
}

@test "credentials from OSC_ACCESS_KEY, OSC_SECRET_KEY, OSC_REGION and OSC_ENDPOINT_API" {
  FO_ENV=("OSC_ACCESS_KEY=$FO_AK" "OSC_SECRET_KEY=$FO_SK" OSC_REGION=eu-west-2 "OSC_ENDPOINT_API=$FO_API")
  run --separate-stderr in_node "$FO_NODE" env "${FO_ENV[@]}" /usr/sbin/fence_outscale <<<$'action=status\nport=node5\n'
  [ "$status" -eq 0 ]
  [ "$output" = "Status: ON" ]
}

@test "credentials from a profile of ~/.osc/config.json, and a secret from a script" {
  local home=$BATS_TEST_TMPDIR/home
  mkdir -p "$home/.osc"
  printf '{"lab":{"access_key":"%s","secret_key":"%s","region":"eu-west-2","endpoints":{"api":"%s"}}}' \
    "$FO_AK" "$FO_SK" "$FO_API" >"$home/.osc/config.json"
  run --separate-stderr in_node "$FO_NODE" env HOME="$home" /usr/sbin/fence_outscale <<<$'action=status\nport=node5\nprofile=lab\n'
  [ "$status" -eq 0 ]
  printf '#!/bin/sh\necho %s\n' "$FO_SK" >"$BATS_TEST_TMPDIR/secret.sh"
  chmod +x "$BATS_TEST_TMPDIR/secret.sh"
  local input
  input=$(printf '%s\n' action=status port=node5 "endpoint=$FO_API" "access_key=$FO_AK" "secret_key_script=$BATS_TEST_TMPDIR/secret.sh")
  run --separate-stderr in_node "$FO_NODE" /usr/sbin/fence_outscale <<<"$input"
  [ "$status" -eq 0 ]
}

@test "AWS4-HMAC-SHA256 signatures work too" {
  run --separate-stderr fo_agent action=status port=node5 signature_version=aws4
  [ "$status" -eq 0 ]
  [ "$(fo_sim GET /_sim/log | jq -r '.[0].algorithm')" = AWS4-HMAC-SHA256 ]
}

@test "the secret never appears in any process's argv, in stderr with verbose, or in debug_file" {
  # shellcheck disable=SC2034 # read by the helpers (fo_agent, ocf_agent, vm_agent)
  FO_KILL_AFTER=8
  fo_sim POST /_sim/faults '{"neverStopVmIds":["i-00000011"]}'
  fo_agent action=off port=node5 verbose=1 "debug_file=$BATS_TEST_TMPDIR/debug.log" \
    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
  local bg=$!
  wait_until 5 "the agent polling" bash -c "grep -q 'powering OFF' '$BATS_TEST_TMPDIR/err'"
  local found=0 p
  for p in /proc/[0-9]*; do
    if tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q "$FO_SK"; then found=1; fi
  done
  wait "$bg" || true
  [ "$found" -eq 0 ]
  grep -q 'StopVms' "$BATS_TEST_TMPDIR/debug.log"
  ! grep -q "$FO_SK" "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/debug.log" || false
  [ "$(stat -c %a "$BATS_TEST_TMPDIR/debug.log")" = 600 ]
}

@test "HTTP_PROXY from Pacemaker's environment carries the requests; NO_PROXY naming the host bypasses it" {
  FO_ENV=("HTTP_PROXY=$FO_PROXY")
  run --separate-stderr fo_agent action=status port=node5
  [ "$status" -eq 0 ]
  [ "$(fo_sim GET /_sim/log | jq -r '.[0].path')" = "$FO_API/ReadVms" ]
  fo_sim POST /_sim/reset >/dev/null
  FO_ENV=("HTTP_PROXY=$FO_PROXY" NO_PROXY=127.0.0.1)
  run --separate-stderr fo_agent action=status port=node5
  [ "$status" -eq 0 ]
  [ "$(fo_sim GET /_sim/log | jq -r '.[0].path')" = /api/v1/ReadVms ]
}

@test "a proxy password on the command line is refused and never echoed; a proxy's 407 is not retried" {
  run --separate-stderr in_node "$FO_NODE" /usr/sbin/fence_outscale -o monitor --endpoint "$FO_API" -a "$FO_AK" \
    --proxy "http://fence:PXverysecret@${FO_PROXY#http://}"
  [ "$status" -eq 1 ]
  [[ $stderr == *"--proxy with a password is refused on the command line"* ]]
  [[ $stderr != *PXverysecret* ]]
  fo_sim POST /_sim/faults '{"proxy":"407"}'
  fo_fails_with "HTTP 407" action=monitor "proxy=http://fence:PXverysecret@${FO_PROXY#http://}" verbose=1
  [[ $stderr != *PXverysecret* ]]
  [ "$(fo_sim GET /_sim/log | jq '[.[] | select(.status == 407)] | length')" -eq 1 ]
}

@test "a DNS server that does not answer (EAI_AGAIN) is retried: the node has no route to the host's resolver" {
  fo_fails_with "cannot reach api.eu-west-2.outscale.com: api.eu-west-2.outscale.com: getent found no address for it" \
    action=monitor endpoint=https://api.eu-west-2.outscale.com api_retries=2
  [ "$(grep -c 'retry [0-9] of 2' <<<"$stderr")" -eq 2 ]
}

@test "a name that does not exist (hosts from files only) is retried as well: getent cannot tell it from a silent DNS server" {
  printf 'hosts: files\n' >"$BATS_TEST_TMPDIR/nsswitch.conf"
  local input
  input=$(printf '%s\n' action=monitor endpoint=https://api.nosuch.test \
    "access_key=$FO_AK" "secret_key=$FO_SK" region=eu-west-2 api_retries=2)
  # shellcheck disable=SC2016 # expanded by the inner shell, not this one
  run --separate-stderr in_node "$FO_NODE" unshare --mount --propagation private sh -c \
    'mount --bind "$1" /etc/nsswitch.conf && exec env -u NODE_EXTRA_CA_CERTS PCMK_service=pacemaker-fenced /usr/sbin/fence_outscale' \
    sh "$BATS_TEST_TMPDIR/nsswitch.conf" <<<"$input"
  [ "$status" -eq 1 ]
  [[ $stderr == *"api.nosuch.test: getent found no address for it (no such name, or no DNS server answered) (EAI_AGAIN)"* ]]
  [ "$(grep -c 'retry [0-9] of 2' <<<"$stderr")" -eq 2 ]
}

@test "an endpoint in plain http off loopback is refused unless insecure_http" {
  run --separate-stderr fo_agent action=validate-all endpoint=http://192.0.2.99:8080
  [ "$status" -eq 1 ]
  [[ $stderr == *"plain HTTP off loopback"*"insecure_http=true"* ]]
  run --separate-stderr fo_agent action=validate-all endpoint=http://192.0.2.99:8080 insecure_http=true
  [ "$status" -eq 0 ]
}

@test "a secret on the command line is refused with a pointer to stdin, and never sent" {
  run --separate-stderr in_node "$FO_NODE" /usr/sbin/fence_outscale \
    -o status -n node5 --endpoint "$FO_API" -a "$FO_AK" --secret-key "$FO_SK"
  [ "$status" -eq 1 ]
  [[ $stderr == *"--secret-key is refused on the command line"*"stdin"* ]]
  [[ $stderr != *"$FO_SK"* ]]
  [ -z "$(fo_requests)" ]
}

@test "bad input gets a clear message and exit 1: missing credentials" {
  run --separate-stderr in_node "$FO_NODE" env HOME=/nonexistent /usr/sbin/fence_outscale <<<$'action=status\nport=node5\n'
  [ "$status" -eq 1 ]
  [[ $stderr == *"no Outscale credentials"* ]]
}

@test "bad input gets a clear message and exit 1: unknown region, malformed plug, unknown action" {
  run --separate-stderr in_node "$FO_NODE" /usr/sbin/fence_outscale \
    <<<$'action=status\nport=node5\nregion=mars-1\naccess_key=a\nsecret_key=b\n'
  [ "$status" -eq 1 ]
  [[ $stderr == *"unknown region 'mars-1'"* ]]
  fo_fails_with "plug 'i-12xyz' is not a valid VM ID" action=off port=i-12xyz
  fo_fails_with "Unrecognised action 'explode'" action=explode port=node5
  [ -z "$(fo_requests)" ]
}

@test "validate-all checks options and reads the plug's VM, and stops nothing" {
  run --separate-stderr fo_agent action=validate-all port=node5
  [ "$status" -eq 0 ]
  [ "$(fo_requests | jq -r .op | sort -u)" = ReadVms ]
  run --separate-stderr fo_agent action=validate-all port=node7
  [ "$status" -eq 1 ]
  [[ $stderr == *"VmInitiatedShutdownBehavior=terminate"*"validate-all failed"* ]]
}

@test "nodename is accepted on stdin without a warning, and is not in the metadata" {
  run --separate-stderr fo_agent action=status nodename=node5 port=node5
  [ "$status" -eq 0 ]
  [[ $stderr != *nodename* ]]
  run --separate-stderr in_node "$FO_NODE" /usr/sbin/fence_outscale -o metadata
  [ "$status" -eq 0 ]
  [[ $output == *'name="port"'* && $output != *'name="nodename"'* ]]
}

@test "an endpoint that refuses connections: retried api_retries times, then exit 1 naming the host" {
  fo_fails_with "ReadVms: cannot reach 127.0.0.1:9: ECONNREFUSED" action=monitor endpoint=http://127.0.0.1:9/api/v1 api_retries=2
  [ "$(grep -c 'retry [0-9] of 2' <<<"$stderr")" -eq 2 ]
}

@test "-o manpage prints a section 8 man page from the options table" {
  run --separate-stderr in_node "$FO_NODE" /usr/sbin/fence_outscale -o manpage
  [ "$status" -eq 0 ]
  [[ ${lines[0]} == ".TH FENCE_OUTSCALE 8"* ]]
  [[ $output == *"secret_key_file"* ]]
}
