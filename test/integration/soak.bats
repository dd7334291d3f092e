#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The soak (lab/soak.sh): its two-writers check fires on two QEMUs running one guest and stays
# quiet on a paused second QEMU (a migration's target); a short soak (3 rounds of random faults
# on the lab), with fencing and then with STONITH off, ends with every invariant held; one whose
# cluster cannot recover in its bound fails.

GUEST=/var/cache/seapath-agents/guest
SAMPLER="$BATS_TEST_DIRNAME/../../lab/soak-sampler.sh"

SOAK_LAB=/var/lib/seapath-lab-soak-test

setup_file() {
  "$BATS_TEST_DIRNAME/../../lab/guest/build.sh" >/dev/null
}

# The short soak keeps its lab for the failing one; whatever ran, nothing of it stays.
teardown_file() {
  [ ! -e "$SOAK_LAB" ] || LAB_ROOT=$SOAK_LAB "$BATS_TEST_DIRNAME/../../lab/lab.sh" down >/dev/null 2>&1 || true
}

# A QEMU running the lab's guest under the name "guest=soaktest", as libvirt names its QEMUs.
qemu_guest() { # SERIAL_FILE [QEMU OPTIONS...]
  local serial=$1
  shift
  /usr/bin/qemu-system-x86_64 -name guest=soaktest,debug-threads=on -machine pc -accel tcg -m 96 \
    -display none -nodefaults -serial "file:$serial" -kernel "$GUEST/vmlinuz" -initrd "$GUEST/initrd.img" \
    -append 'console=ttyS0 quiet panic=-1 rdinit=/init' "$@" </dev/null >/dev/null 2>&1 3>&- &
  echo $!
}

teardown() {
  # shellcheck disable=SC2086 # one word each
  [ -z "${PIDS:-}" ] || kill $PIDS 2>/dev/null || true
  # shellcheck disable=SC2086
  [ -z "${PIDS:-}" ] || wait $PIDS 2>/dev/null || true
  # a soak the suite's test timeout ended: what it had printed
  [ -n "${SOAK_SHOWN:-}" ] || [ ! -s "$BATS_TEST_TMPDIR/soak.out" ] || cat "$BATS_TEST_TMPDIR/soak.out"
}

# Runs lab/soak.sh with the environment ENV... and sets status and output as `run` does. Its output
# goes to a file, not through a pipe `run` would read to its end: a daemon that inherited the pipe
# would keep the test waiting after the soak ended.
soak() { # ENV...
  status=0
  env "$@" "$BATS_TEST_DIRNAME/../../lab/soak.sh" </dev/null >"$BATS_TEST_TMPDIR/soak.out" 2>&1 3>&- || status=$?
  output=$(<"$BATS_TEST_TMPDIR/soak.out")
  echo "$output"
  SOAK_SHOWN=1
}

@test "the sampler reports two QEMUs executing one guest" {
  a=$(qemu_guest "$BATS_TEST_TMPDIR/a.serial")
  b=$(qemu_guest "$BATS_TEST_TMPDIR/b.serial")
  "$SAMPLER" "$BATS_TEST_TMPDIR/s" 0.5 3>&- &
  PIDS="$a $b $!"
  wait_for_violation() { for _ in $(seq 60); do [ -s "$BATS_TEST_TMPDIR/s/violations" ] && return 0; sleep 0.5; done; return 1; }
  wait_for_violation
  run cat "$BATS_TEST_TMPDIR/s/violations"
  [[ $output == *"two-writers soaktest executing in 2 QEMUs"* ]]
  [[ $output == *"pid $a "* && $output == *"pid $b "* ]]
  [ "$(grep "^soaktest " "$BATS_TEST_TMPDIR/s/max-qemus")" = "soaktest 2" ]
  [ "$(grep "^soaktest " "$BATS_TEST_TMPDIR/s/max-executing")" = "soaktest 2" ]
}

@test "the sampler stays quiet with a second QEMU paused, as a migration's target is" {
  a=$(qemu_guest "$BATS_TEST_TMPDIR/a.serial")
  b=$(qemu_guest "$BATS_TEST_TMPDIR/b.serial" -S)
  "$SAMPLER" "$BATS_TEST_TMPDIR/s" 0.5 3>&- &
  PIDS="$a $b $!"
  sleep 10
  [ "$(cat "$BATS_TEST_TMPDIR/s/samples")" -ge 10 ]
  [ "$(grep "^soaktest " "$BATS_TEST_TMPDIR/s/max-qemus")" = "soaktest 2" ]
  # the first one executes its guest all along, the paused one never does
  [ "$(grep "^soaktest " "$BATS_TEST_TMPDIR/s/max-executing")" = "soaktest 1" ]
  [ ! -s "$BATS_TEST_TMPDIR/s/violations" ]
}

@test "a short soak: 3 rounds of random faults on the lab, every invariant held" {
  # (its limit well under test/run-integration.sh's 600 s stall limit: the soak's own report comes first)
  soak SOAK_ROUNDS=3 SOAK_LAB_ROOT="$SOAK_LAB" SOAK_KEEP_LAB=1 SOAK_TIMEOUT_S=420
  [ "$status" -eq 0 ]
  [[ $output == *"Invariant violations: 0 "* ]]
  # three faults injected and three recovered, over the table's rows
  [ "$(grep '^| [a-z0-9-]* | [0-9]' <<<"$output" | awk -F'|' '{ i += $3; r += $4 } END { print i, r }')" = "3 3" ]
  [[ $output == *"Seed: "* ]]
}

@test "a short soak with STONITH off (SEAPATH's default): 3 rounds, every invariant held, no fencing" {
  # on the short soak's lab when it kept one, on a new one otherwise; kept for the next test
  soak SOAK_STONITH=off SOAK_ROUNDS=3 SOAK_LAB_ROOT="$SOAK_LAB" SOAK_REUSE_LAB=1 SOAK_KEEP_LAB=1 SOAK_TIMEOUT_S=540
  [ "$status" -eq 0 ]
  [[ $output == *"STONITH off (replay: SOAK_SEED="*" SOAK_STONITH=off)"* ]]
  [[ $output == *"### Soak: seed "*", 3 rounds, 3 VMs, agents seapath, STONITH off"* ]]
  [[ $output == *"Invariant violations: 0 "* ]]
  [ "$(grep '^| [a-z0-9-]* | [0-9]' <<<"$output" | awk -F'|' '{ i += $3; r += $4 } END { print i, r }')" = "3 3" ]
  # nothing calls the cloud: no cloud-503 round, and no fencing (any would be a violation above)
  [[ $output != *"| cloud-503 |"* ]]
  # a crash round, if drawn, saw each of the crashed node's VMs refused as held by it
  if [[ $output == *"round "*": crash"* ]]; then
    [[ $output == *"start refused ("*" s after the crash): refusing to start vm"*": held by node"* ]]
  fi
}

@test "a soak whose cluster does not recover within the bound fails, shows the cluster, and stops faulting it" {
  # seed 2 crashes a node first; with a 1 s bound that round does not recover, and round 2 finds the
  # cluster not whole: its victim not fenced yet (crm_mon may still show it online for a few seconds)
  # on the short soak's lab when it kept one (a lab up and deploy less), on a new one otherwise
  soak SOAK_ROUNDS=8 SOAK_SEED=2 SOAK_BOUND=1 SOAK_LAB_ROOT="$SOAK_LAB" SOAK_REUSE_LAB=1 SOAK_TIMEOUT_S=300 \
    SOAK_LOGS="${BATS_RUN_TMPDIR:-/tmp}/soak-logs"
  [ "$status" -eq 1 ]
  [[ $output == *"round 1/8: crash"* ]]
  [[ $output == *"VIOLATION not-running: round 1 (crash of node"*"not every VM Started and node online after 1s"* ]]
  [[ $output == *"    Node List:"* ]]
  [[ $output == *"VIOLATION not-running: round 2: the cluster was not whole before the fault; no further rounds"* ]]
  [[ $output == *"### Soak: seed 2, 1 of 8 rounds (stopped: the cluster did not recover)"* ]]
  [[ $output != *"round 2/8:"* ]]
  [[ $output != *"Invariant violations: 0 "* ]]
  [ ! -e "$SOAK_LAB" ]
}

@test "a soak that hangs shows what it was running, ends it and the lab, and exits 2" {
  # 5 s is shorter than the lab's start: the soak "hangs" in lab.sh up
  soak SOAK_ROUNDS=1 SOAK_LAB_ROOT="$SOAK_LAB" SOAK_TIMEOUT_S=5
  [ "$status" -eq 2 ]
  [[ $output == *"the soak has run for 5s (SOAK_TIMEOUT_S): it hangs; what it runs:"* ]]
  [[ $output == *"lab/lab.sh up"* ]]
  [[ $output == *"stopped: the soak hung (above: in what)"* ]]
  [[ $output != *"round 1/1:"* ]]
  # its lab is down (lab.sh down checks that no namespace, process or mount of it is left)
  [[ $output != *"lab down failed"* ]]
  [ ! -e "$SOAK_LAB" ]
}
