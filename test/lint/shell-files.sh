#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Lists the project's shell sources, one a line: *.sh, *.bash, *.bats, and files whose first line is a
# sh or bash shebang (.ci/run, packaging/debian/postinst…). Git's view of the tree (tracked and new,
# not ignored), so node_modules, dist/ and scratch files stay out; lab/vendor is someone else's code.
set -euo pipefail
cd "$(dirname "$0")/../.."
git ls-files --cached --others --exclude-standard -z | while IFS= read -r -d '' f; do
  [ -f "$f" ] || continue
  case $f in
    lab/vendor/*) continue ;;
    *.sh | *.bash | *.bats) printf '%s\n' "$f" ;;
    *) if head -n1 -- "$f" | grep -qE '^#! *(/usr/bin/env +)?(/bin/|/usr/bin/)?(ba)?sh( |$)'; then printf '%s\n' "$f"; fi ;;
  esac
done | sort -u
