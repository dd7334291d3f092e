#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Lays out one binary, one link per agent and the agents' man pages (built into dist/man by `make man`).
# usage: packaging/install.sh BINARY [DESTDIR]   (run from the repository root)
set -euo pipefail
bin=$1; dest=${2:-}
[ -d dist/man ] || { echo "install: dist/man is missing: run 'make man' (make install does)" >&2; exit 1; }
libdir=/usr/lib/seapath-agents
ocfdir=/usr/lib/ocf/resource.d/seapath
mandir=/usr/share/man
# Pacemaker may run an agent at any moment of an install: a file written in place is missing or
# not yet executable meanwhile (5 or 4 from pacemaker-execd, which bans the resource from the node).
# So each file is written beside its place and renamed over it, and an unchanged one is left alone.
place_file() { # MODE SOURCE TARGET
  local mode=$1 src=$2 target=$3
  [[ -f $target ]] && cmp -s "$src" "$target" && [[ $(stat -c %a "$target") == "${mode#0}" ]] && return 0
  install -D -m "$mode" "$src" "$target.new"
  mv -f "$target.new" "$target"
}
place_link() { # TARGET LINK
  [[ -L $2 && $(readlink "$2") == "$1" ]] && return 0
  ln -sfn "$1" "$2.new"
  mv -fT "$2.new" "$2"
}
place_file 0755 "$bin" "$dest$libdir/seapath-agents"
install -d "$dest$ocfdir" "$dest/usr/sbin"
# Relative links (Debian policy 10.5), so they resolve inside DESTDIR and chroots too.
# shellcheck disable=SC2013 # the lists hold one agent name a line, no blanks
for agent in $(cat packaging/resource-agents.list); do
  place_link ../../../seapath-agents/seapath-agents "$dest$ocfdir/$agent"
  install -D -m 0644 "dist/man/man7/ocf_seapath_$agent.7" "$dest$mandir/man7/ocf_seapath_$agent.7"
done
# systemd ordering for the vm agent: static drop-ins, present from boot, no daemon-reload by agents
unitdir=/usr/lib/systemd/system/resource-agents-deps.target.d
install -D -m 0644 -t "$dest$unitdir" packaging/systemd/resource-agents-deps.target.d/*.conf
# opt-in, not enabled: locks the executable in memory on hosts under memory pressure
install -D -m 0644 -t "$dest/usr/lib/systemd/system" packaging/systemd/seapath-agents-pin.service
# shellcheck disable=SC2013 # the lists hold one agent name a line, no blanks
for agent in $(cat packaging/fence-agents.list); do
  place_link ../lib/seapath-agents/seapath-agents "$dest/usr/sbin/$agent"
  install -D -m 0644 "dist/man/man8/$agent.8" "$dest$mandir/man8/$agent.8"
done
resource_agents=$(paste -sd, packaging/resource-agents.list)
fence_agents=$(sed 's|^| /usr/sbin/|' packaging/fence-agents.list | paste -sd' ')
echo "installed into ${dest:-/}: $libdir/seapath-agents, $ocfdir/{$resource_agents}$fence_agents, man pages," \
  "$unitdir/, seapath-agents-pin.service"
