#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# integration-lane: side
# Every configuration example of README.md and docs/ is accepted by the real crmsh and pcs, against an
# offline CIB (CIB_file, pcs -f) and the installed agents' meta-data: a misspelt parameter, a missing
# required one or a wrong syntax fails here. And every crm example exists in pcs form, and back.

REPO=$BATS_TEST_DIRNAME/../..
DOCS=(README.md docs/vm.md docs/vip.md docs/ping.md docs/fence_outscale.md docs/migration-from-stock.md docs/seapath.md)

# The shell commands of the ```sh blocks of markdown file $1, one per line (continuation lines joined).
commands_of() {
  awk '
    /^```sh$/ { inblock = 1; next }
    /^```/ { inblock = 0; next }
    inblock {
      line = $0
      if (sub(/\\$/, "", line)) { acc = acc line; next }
      print acc line; acc = ""
    }' "$REPO/$1"
}

# Configuration commands: what creates resources, constraints and properties (none is no error).
crm_commands() { commands_of "$1" | grep -E '^crm configure (primitive|clone|location|colocation|order|property) ' || true; }
pcs_commands() { commands_of "$1" | grep -E '^pcs (resource create|stonith create|constraint|property set) ' || true; }

# Resources the examples of $1 refer to but define in another document (vm1 in ping.md, the
# service in vip.md): created as ocf:pacemaker:Dummy first.
foreign_resources() {
  local cmds=$1 name
  for name in vm1 opennebula; do
    grep -qw "$name" <<<"$cmds" || continue
    grep -qE "(primitive|resource create) $name " <<<"$cmds" || echo "$name"
  done
}

# Runs command line $2 with CIB file $1, and fails with its output unless crmsh or pcs accepted it.
accepted() {
  local out rc
  out=$(CIB_file=$1 bash -c "$2" 2>&1) && rc=0 || rc=$?
  if [ "$rc" -ne 0 ] || grep -q 'ERROR' <<<"$out"; then
    printf 'refused (rc %s): %s\n%s\n' "$rc" "$2" "$out"
    return 1
  fi
}

# examples_accepted crm|pcs: every example of that tool in the README and docs/ is accepted, run against
# a CIB of its own per document (with the foreign resources it needs); sets total to their number. The
# documents are checked side by side (each crm or pcs run is a second of Python start-up, mostly CPU).
examples_accepted() {
  local tool=$1 doc i pids=() status=0 n
  total=0
  for i in "${!DOCS[@]}"; do
    doc_examples_accepted "$tool" "${DOCS[i]}" >"$BATS_TEST_TMPDIR/$i.out" 2>&1 &
    pids[i]=$!
  done
  for i in "${!DOCS[@]}"; do
    wait "${pids[i]}" || status=1
    n=$(tail -n 1 "$BATS_TEST_TMPDIR/$i.out")
    if [[ $n == "accepted "* ]]; then total=$((total + ${n#accepted })); else cat "$BATS_TEST_TMPDIR/$i.out"; fi
  done
  return "$status"
}

# doc_examples_accepted crm|pcs DOC: the examples of DOC for that tool are accepted; the last line says
# how many ("accepted N").
doc_examples_accepted() {
  local tool=$1 doc=$2 cmds cib r cmd count=0
  cmds=$("${tool}_commands" "$doc")
  if [ -n "$cmds" ]; then
    cib=$BATS_TEST_TMPDIR/$(basename "$doc").$tool.xml
    cibadmin --empty >"$cib"
    if [ "$tool" = crm ]; then
      # A CIB with no nodes: crmsh reports the lack of quorum and of fencing as ERROR lines otherwise.
      accepted "$cib" 'crm configure property stonith-enabled=false no-quorum-policy=ignore' || return 1
    fi
    for r in $(foreign_resources "$cmds"); do
      if [ "$tool" = crm ]; then
        cmd="crm configure primitive $r ocf:pacemaker:Dummy"
      else
        cmd="pcs resource create $r ocf:pacemaker:Dummy"
      fi
      accepted "$cib" "$(with_cib "$tool" "$cib" "$cmd")" || return 1
    done
    while IFS= read -r cmd; do
      accepted "$cib" "$(with_cib "$tool" "$cib" "$cmd")" || { echo "in $doc"; return 1; }
      count=$((count + 1))
    done <<<"$cmds"
  fi
  echo "accepted $count"
}

# pcs takes the CIB file as an option (-f); crmsh reads CIB_file.
with_cib() { if [ "$1" = pcs ]; then echo "pcs -f $2 ${3#pcs }"; else echo "$3"; fi; }

# crmsh creates its user directories at every start, with no guard against a second crm doing the
# same (userdir.mv_user_files: isdir, then makedirs): on a machine where they do not exist yet, the
# documents' crm runs side by side fail with FileExistsError. Each test gets a home of its own,
# made beforehand.
setup() {
  export HOME=$BATS_TEST_TMPDIR/home XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/home/.config XDG_CACHE_HOME=$BATS_TEST_TMPDIR/home/.cache
  mkdir -p "$XDG_CONFIG_HOME/crm" "$XDG_CACHE_HOME/crm"
}

@test "every crm configure example of the README and docs/ is accepted by crmsh" {
  examples_accepted crm
  echo "# $total crm configure examples accepted" >&3
  [ "$total" -ge 15 ]
}

@test "every pcs example of the README and docs/ is accepted by pcs" {
  examples_accepted pcs
  echo "# $total pcs examples accepted" >&3
  [ "$total" -ge 12 ]
}

@test "each document shows every crm example in pcs form too, crm first" {
  for doc in "${DOCS[@]}"; do
    crm_ids=$(crm_commands "$doc" | awk '$3 == "primitive" { print $4 }' | sort)
    pcs_ids=$(pcs_commands "$doc" | awk '$2 == "resource" || $2 == "stonith" { print $4 }' | sort)
    [ "$crm_ids" = "$pcs_ids" ] || { echo "$doc: crm defines [$crm_ids], pcs [$pcs_ids]"; return 1; }
    first_crm=$(commands_of "$doc" | grep -n -m1 '^crm ' | cut -d: -f1)
    first_pcs=$(commands_of "$doc" | grep -n -m1 '^pcs ' | cut -d: -f1)
    [ -z "$first_pcs" ] || { [ -n "$first_crm" ] && [ "$first_crm" -lt "$first_pcs" ]; } || { echo "$doc: pcs comes before crm"; return 1; }
  done
}
