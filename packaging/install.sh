#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Lays out one binary and one link per agent. usage: packaging/install.sh BINARY [DESTDIR]
set -euo pipefail
bin=$1; dest=${2:-}
libdir=/usr/lib/seapath-agents
ocfdir=/usr/lib/ocf/resource.d/seapath
install -D -m 0755 "$bin" "$dest$libdir/seapath-agents"
install -d "$dest$ocfdir" "$dest/usr/sbin"
for agent in $(cat packaging/resource-agents.list); do
  ln -sfn "$libdir/seapath-agents" "$dest$ocfdir/$agent"
done
# systemd ordering for the vm agent: static drop-ins, present from boot, no daemon-reload by agents
unitdir=/usr/lib/systemd/system/resource-agents-deps.target.d
install -D -m 0644 -t "$dest$unitdir" packaging/systemd/resource-agents-deps.target.d/*.conf
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for agent in $(cat packaging/fence-agents.list); do
  ln -sfn "$libdir/seapath-agents" "$dest/usr/sbin/$agent"
  # fence agents carry their man page; generate it from the agent's own option table
  ln -sfn "$(realpath "$bin")" "$tmp/$agent"
  install -d "$dest/usr/share/man/man8"
  "$tmp/$agent" -o manpage >"$dest/usr/share/man/man8/$agent.8"
done
echo "installed into ${dest:-/}: $libdir/seapath-agents, $ocfdir/{$(paste -sd, packaging/resource-agents.list)}$(sed 's|^| /usr/sbin/|' packaging/fence-agents.list | paste -sd' ') $unitdir/"
