#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# integration-lane: side
# The two-writers checker of lab-stonith-off.bats (helpers/writable-copies.awk) on samples written
# by hand in helpers/copies-sampler.py's format: what it must flag, and what it must not.

bats_require_minimum_version 1.5.0

CHECK=$BATS_TEST_DIRNAME/helpers/writable-copies.awk
IPS=node1=192.0.2.11,node2=192.0.2.12,node3=192.0.2.13
BOTH_WATCH="node1,node2 192.0.2.11:0/1,192.0.2.12:0/2"

setup() {
  BL=$BATS_TEST_TMPDIR/blocklist SAMPLES=$BATS_TEST_TMPDIR/samples
  : >"$BL"
}

# samples FROM TO LINE: one sample every 0.2 s from epoch FROM to TO, each "EPOCH LINE"
samples() {
  awk -v a="$1" -v b="$2" -v rest="$3" 'BEGIN { for (t = a; t <= b + 0.0001; t += 0.2) printf "%.3f %s\n", t, rest }' >>"$SAMPLES"
}

check() { awk -v ips="$IPS" -f "$CHECK" "$BL" "$SAMPLES"; }

@test "a second copy started beside a running one, both executing through live watches for one sample: 2, printed" {
  samples 100 101 "node1 192.0.2.11:0/1 node1"
  samples 101.2 101.2 "$BOTH_WATCH node1,node2"
  samples 101.4 102 "node1 192.0.2.11:0/1 node1"
  run --separate-stderr check
  [ "$output" = 2 ]
  # shellcheck disable=SC2154 # stderr is set by bats' run --separate-stderr
  [[ $stderr == *"two writable copies at 101.200 $BOTH_WATCH node1,node2"* ]]
}

@test "with no blocklist at all the samples are still read (an empty first file)" {
  samples 100 101 "$BOTH_WATCH node1,node2"
  [ ! -s "$BL" ]
  [ "$(check 2>/dev/null)" = 2 ]
}

@test "a live migration: both ends watch, the target waits, then executes during its switch-over: 1" {
  samples 100 101 "node1 192.0.2.11:0/1 node1"
  samples 101.2 103 "$BOTH_WATCH node1"
  samples 103.2 104 "$BOTH_WATCH node1,node2+"
  samples 104.2 106 "node2 192.0.2.12:0/2 node2"
  [ "$(check 2>/dev/null)" = 1 ]
}

@test "a migration's target past its switch-over beside a source still executing: 2" {
  samples 100 101 "$BOTH_WATCH node1,node2"
  [ "$(check 2>/dev/null)" = 2 ]
}

@test "two copies beside a switching target: 3, the switch-over excuses one copy only" {
  samples 100 101 "node1,node2,node3 192.0.2.11:0/1,192.0.2.12:0/2,192.0.2.13:0/3 node1,node2,node3+"
  [ "$(check 2>/dev/null)" = 3 ]
}

@test "a second copy executing beside a stale one whose client was blocklisted before: 1" {
  echo "192.0.2.11:0/1 99" >"$BL"
  samples 100 106 "$BOTH_WATCH node1,node2"
  [ "$(check 2>/dev/null)" = 1 ]
}

@test "the same, blocklisted only after the second copy had started: 2" {
  echo "192.0.2.11:0/1 101" >"$BL"
  samples 100 106 "$BOTH_WATCH node1,node2"
  [ "$(check 2>/dev/null)" = 2 ]
}

@test "a copy that does not execute (paused) does not write, though it watches: 1" {
  samples 100 104 "$BOTH_WATCH node2"
  [ "$(check 2>/dev/null)" = 1 ]
}

@test "watchers unknown (Ceph did not answer): executing copies count as writing" {
  samples 100 101 "node1,node3 ? node1,node3"
  [ "$(check 2>/dev/null)" = 2 ]
}

@test "QEMUs seen but never one executing: 99, the sampler cannot tell" {
  samples 100 104 "$BOTH_WATCH -"
  run --separate-stderr check
  [ "$output" = 99 ]
  [[ $stderr == *"none executing"* ]]
}

@test "samples more than 3 s apart (the sampler was blind), or none at all: 99, printed" {
  samples 100 101 "node1 192.0.2.11:0/1 node1"
  samples 104.2 105 "node1 192.0.2.11:0/1 node1"
  run --separate-stderr check
  [ "$output" = 99 ]
  [[ $stderr == *"the sampler was blind between samples at 101.000-104.200"* ]]
  : >"$SAMPLES"
  run --separate-stderr check
  [ "$output" = 99 ]
  [[ $stderr == *"no samples"* ]]
}
