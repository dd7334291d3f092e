#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Runs shellcheck on every shell source (test/lint/shell-files.sh), bats files included (shellcheck knows
# @test and run). Options are in .shellcheckrc, where editors find them too. *.bash files are sourced
# helpers without a shebang, so they are read as bash.
set -euo pipefail
cd "$(dirname "$0")/../.."
mapfile -t files < <(test/lint/shell-files.sh)
# the list comes from git: outside a work tree it is empty, which must not pass for "all clean"
((${#files[@]})) || { echo "shellcheck: no shell source found (is this a git work tree?)" >&2; exit 1; }
# One checker takes half a minute here on one core: the files are dealt round-robin to one checker
# per core, each printing into a file of its own, shown in order once all are done.
jobs=$(nproc)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
groups=()
for i in "${!files[@]}"; do groups[i % jobs]+="${files[i]}"$'\n'; done
pids=()
for g in "${!groups[@]}"; do
  mapfile -t group <<<"${groups[g]%$'\n'}"
  helpers=() scripts=()
  for f in "${group[@]}"; do
    if [[ $f == *.bash ]]; then helpers+=("$f"); else scripts+=("$f"); fi
  done
  {
    status=0
    [ ${#scripts[@]} -eq 0 ] || shellcheck -f gcc "${scripts[@]}" || status=1
    [ ${#helpers[@]} -eq 0 ] || shellcheck -f gcc --shell=bash "${helpers[@]}" || status=1
    exit $status
  } >"$out/$g" 2>&1 &
  pids+=($!)
done
status=0
for g in "${!pids[@]}"; do
  wait "${pids[g]}" || status=1
  cat "$out/$g"
done
exit $status
