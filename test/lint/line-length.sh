#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Fails when a TypeScript or shell source has a line over LIMIT characters (default 140), listing them.
# Characters, not bytes (comments hold "…" and "—"). Generated and vendored files are skipped.
# usage: test/lint/line-length.sh [LIMIT]
set -euo pipefail
cd "$(dirname "$0")/../.."
limit=${1:-140}
export LC_ALL=C.UTF-8

mapfile -t files < <(
  { git ls-files --cached --others --exclude-standard -- '*.ts' | grep -vE '(\.generated\.ts$|^lab/vendor/)'
    test/lint/shell-files.sh; } | while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done
)
((${#files[@]})) || { echo "line-length: no source found (is this a git work tree?)" >&2; exit 1; }
long=0
while IFS= read -r hit; do
  file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}; text=${rest#*:}
  echo "$file:$line: ${#text} characters (limit $limit)"
  long=$((long + 1))
done < <(grep -HnE "^.{$((limit + 1)),}" -- "${files[@]}" || true)
[ "$long" -eq 0 ] || { echo "line-length: $long lines over $limit characters" >&2; exit 1; }
