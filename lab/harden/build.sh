#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Builds the hardening wrapper with system-service.syscalls compiled in. usage: lab/harden/build.sh OUT
set -euo pipefail
out=$(realpath -m "${1:-dist/harden}")
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# The list as one C string literal, a name a line.
sed -e '/^#/d' -e '/^$/d' -e 's/.*/"&\\n"/' system-service.syscalls >"$tmp/system-service.inc"
mkdir -p "$(dirname "$out")"
gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -I"$tmp" -o "$tmp/harden" harden.c -lseccomp
mv "$tmp/harden" "$out"
echo "built $1"
