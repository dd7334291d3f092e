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
helpers=(); scripts=()
for f in "${files[@]}"; do
  if [[ $f == *.bash ]]; then helpers+=("$f"); else scripts+=("$f"); fi
done
status=0
[ ${#scripts[@]} -eq 0 ] || shellcheck -f gcc "${scripts[@]}" || status=1
[ ${#helpers[@]} -eq 0 ] || shellcheck -f gcc --shell=bash "${helpers[@]}" || status=1
exit $status
