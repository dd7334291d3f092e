#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# integration-lane: side
# A real fencing run: a one-node Pacemaker cluster with a fence_outscale stonith device (no pcmk_host_map:
# node names resolve through the VMs' Name tags and Pacemaker's dynamic-list), the Outscale API simulator
# in the same test node, and `stonith_admin --fence` / `--reboot` of another node.

bats_require_minimum_version 1.5.0

setup_file() {
  load ../../lab/lib/cluster
  load fence-outscale-helpers
  node_setup fo
  fo_config '. + {
  "timings": { "stopMs": 3000, "forceStopMs": 800, "startMs": 800 },
  "vms": [
    { "vmId": "i-000000c1", "state": "running", "tags": { "Name": "c1" } },
    { "vmId": "i-000000c2", "state": "running", "tags": { "Name": "node2" } },
    { "vmId": "i-000000c3", "state": "running", "tags": { "Name": "node3" } }
  ],
  "metadata": { "instanceId": "i-000000c1" }
}' >"$BATS_FILE_TMPDIR/sim.json"
  fo_setup c1 "$BATS_FILE_TMPDIR/sim.json"
  cluster_start c1 stonith-enabled=true
  # The secret stays out of the CIB (Pacemaker logs CIB changes with their values): the device names a
  # file that holds it. The device goes in through cibadmin's stdin, so nothing sits in a process's argv.
  (umask 077 && printf '%s\n' "$FO_SK" >"$BATS_FILE_TMPDIR/osc-secret")
  in_cluster c1 cibadmin --create -o resources --xml-pipe <<XML
<primitive id="fence-osc" class="stonith" type="fence_outscale">
  <instance_attributes id="fence-osc-ia">
    <nvpair id="fence-osc-endpoint" name="endpoint" value="$FO_API"/>
    <nvpair id="fence-osc-md" name="metadata_url" value="$FO_MD"/>
    <nvpair id="fence-osc-region" name="region" value="eu-west-2"/>
    <nvpair id="fence-osc-ak" name="access_key" value="$FO_AK"/>
    <nvpair id="fence-osc-sk" name="secret_key_file" value="$BATS_FILE_TMPDIR/osc-secret"/>
    <nvpair id="fence-osc-sleep" name="stonith_status_sleep" value="0.5"/>
    <nvpair id="fence-osc-off-timeout" name="pcmk_off_timeout" value="30s"/>
    <nvpair id="fence-osc-reboot-timeout" name="pcmk_reboot_timeout" value="40s"/>
  </instance_attributes>
  <operations>
    <op id="fence-osc-monitor" name="monitor" interval="60s" timeout="20s"/>
  </operations>
</primitive>
XML
  cluster_wait_resource c1 fence-osc Started 40
}

teardown_file() {
  load ../../lab/lib/cluster
  cluster_teardown c1
}

setup() {
  load ../../lab/lib/cluster
  load fence-outscale-helpers
  # shellcheck disable=SC2034 # read by the helpers (fo_agent, ocf_agent, vm_agent)
  FO_NODE=c1
}

teardown() {
  fo_assert_schema_clean
}

@test "the started device was probed and monitored through the simulator" {
  run fo_requests
  [[ $output == *'"op":"ReadVms"'* ]]
  [[ $output != *'"auth":"forced-401"'* ]]
}

@test "stonith_admin --fence node2 stops node2's VM, found through its Name tag (no pcmk_host_map)" {
  run --separate-stderr in_cluster c1 stonith_admin --fence node2 --timeout 60
  # shellcheck disable=SC2154 # stderr is set by bats' run --separate-stderr
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$(fo_vm_state i-000000c2)" = stopped ]
  [ "$(fo_requests StopVms | jq -c .body)" = '{"VmIds":["i-000000c2"],"ForceStop":true}' ]
  run --separate-stderr in_cluster c1 stonith_admin --history node2
  [[ $output == *"node2 was able to turn off"* || $output == *"successful"* || $output == *"turn off"* ]]
}

@test "stonith_admin --reboot node3 stops, then starts node3's VM" {
  run --separate-stderr in_cluster c1 stonith_admin --reboot node3 --timeout 60
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$(fo_vm_state i-000000c3)" = running ]
  run fo_requests
  local power
  power=$(jq -r 'select(.op == "StopVms" or .op == "StartVms") | .op + " " + (.body.VmIds | join(","))' <<<"$output")
  [ "$(grep c3 <<<"$power" | paste -sd,)" = "StopVms i-000000c3,StartVms i-000000c3" ]
}

@test "the secret key appears nowhere in the cluster's logs, nor in its CIB" {
  local dir
  dir=$(node_dir c1)
  ! grep -rq "$FO_SK" "$dir/fs/var/log/pacemaker" "$dir/fs/var/log/corosync" "$dir/cluster" || false
  run in_cluster c1 cibadmin --query
  [ "$status" -eq 0 ]
  [[ $output != *"$FO_SK"* ]]
}
