#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The two-writers checker of lab-stonith-off.bats (helpers/writable-copies.awk) on samples written
# by hand in helpers/copies-sampler.py's format: what it must flag, and what it must not.

bats_require_minimum_version 1.5.0

CHECK=$BATS_TEST_DIRNAME/helpers/writable-copies.awk
IPS=node1=192.0.2.11,node2=192.0.2.12,node3=192.0.2.13

setup() {
  BL=$BATS_TEST_TMPDIR/blocklist SAMPLES=$BATS_TEST_TMPDIR/samples
  : >"$BL"
}

# samples FROM TO LINE: one sample every 0.2 s from epoch FROM to TO, each "EPOCH LINE"
samples() {
  awk -v a="$1" -v b="$2" -v rest="$3" 'BEGIN { for (t = a; t <= b + 0.0001; t += 0.2) printf "%.3f %s\n", t, rest }' >>"$SAMPLES"
}

check() { awk -v ips="$IPS" -v hold=3 -f "$CHECK" "$BL" "$SAMPLES"; }

@test "two copies executing through watches that are not blocklisted, for 3 s: 2, and the overlap is printed" {
  samples 100 104 "node1,node2 192.0.2.11:0/1,192.0.2.12:0/2 node1,node2"
  run --separate-stderr check
  [ "$output" = 2 ]
  # shellcheck disable=SC2154 # stderr is set by bats' run --separate-stderr
  [[ $stderr == *"two writable copies for 3"*"node1,node2"* ]]
}

@test "with no blocklist at all the samples are still read (an empty first file)" {
  samples 100 104 "node1,node2 192.0.2.11:0/1,192.0.2.12:0/2 node1,node2"
  [ ! -s "$BL" ]
  [ "$(check 2>/dev/null)" = 2 ]
}

@test "a live migration: both ends watch, one executes, then a switch-over under 3 s: 1" {
  samples 100 101 "node1 192.0.2.11:0/1 node1"
  samples 101.2 103 "node1,node2 192.0.2.11:0/1,192.0.2.12:0/2 node1"
  samples 103.2 104 "node1,node2 192.0.2.11:0/1,192.0.2.12:0/2 node1,node2"
  samples 104.2 106 "node2 192.0.2.12:0/2 node2"
  [ "$(check 2>/dev/null)" = 1 ]
}

@test "a second copy executing beside a stale one whose client was blocklisted before: 1" {
  echo "192.0.2.11:0/1 99" >"$BL"
  samples 100 106 "node1,node2 192.0.2.11:0/1,192.0.2.12:0/2 node1,node2"
  [ "$(check 2>/dev/null)" = 1 ]
}

@test "the same, blocklisted only after the second copy ran for 3 s: 2" {
  echo "192.0.2.11:0/1 104" >"$BL"
  samples 100 106 "node1,node2 192.0.2.11:0/1,192.0.2.12:0/2 node1,node2"
  [ "$(check 2>/dev/null)" = 2 ]
}

@test "watchers unknown (Ceph did not answer): executing copies count as writing" {
  samples 100 104 "node1,node3 ? node1,node3"
  [ "$(check 2>/dev/null)" = 2 ]
}

@test "QEMUs seen but never one executing: 99, the sampler cannot tell" {
  samples 100 104 "node1,node2 192.0.2.11:0/1,192.0.2.12:0/2 -"
  run --separate-stderr check
  [ "$output" = 99 ]
  # shellcheck disable=SC2154 # stderr is set by bats' run --separate-stderr
  [[ $stderr == *"none executing"* ]]
}
