#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# integration-lane: side
# The Debian package: built by `make deb`, checked by lintian, installed with apt into a clean Debian 12
# root that already holds SEAPATH's own files in /usr/lib/ocf/resource.d/seapath (ptpstatus, and the
# VirtualDomain its Ansible copies there), upgraded, then purged. The tests run in order on one root.

REPO=$BATS_TEST_DIRNAME/../..
OCF_DIR=/usr/lib/ocf/resource.d/seapath
KEPT=/var/lib/seapath-agents/VirtualDomain.replaced
RNG=$REPO/spec/ocf-ra-api-1.1.rng

setup_file() {
  load helpers/debian-root
  cd "$REPO" || return 1
  # a line before the long silence of a cold build (test/run-integration.sh ends a run silent for 600 s)
  echo "# building the package, then a Debian root (a few minutes when its cache is cold)" >&3
  local built
  # shellcheck disable=SC2001 # a prefix on every line
  built=$(make -s deb 2>&1) || { sed 's/^/# /' <<<"$built" >&3; return 1; }
  version=$(awk -F'[()]' 'NR == 1 { print $2 }' packaging/debian/changelog)
  export DEB=$REPO/dist/seapath-agents_${version}_amd64.deb
  local deps tarball started=$SECONDS
  # The root holds the package's Depends (so apt installs it offline) and man-db, nothing else of ours.
  deps=$(dpkg-deb -f "$DEB" Depends | sed 's/([^)]*)//g; s/,/ /g')
  # shellcheck disable=SC2086
  tarball=$(debian_root_tarball man-db $deps) || return 1
  echo "# root tarball ready in $((SECONDS - started)) s ($tarball)" >&3
  export ROOT=$BATS_FILE_TMPDIR/root
  started=$SECONDS
  debian_root_extract "$tarball" "$ROOT" || return 1
  echo "# root extracted in $((SECONDS - started)) s" >&3

  # SEAPATH's files, placed before the package: its own agent, and Ansible's patched VirtualDomain copy.
  mkdir -p "$ROOT$OCF_DIR"
  printf '#!/bin/sh\n# SEAPATH ptpstatus (stand-in)\nexit 0\n' >"$ROOT$OCF_DIR/ptpstatus"
  printf '#!/bin/sh\n# heartbeat VirtualDomain as patched by SEAPATH Ansible (stand-in)\nexit 0\n' >"$ROOT$OCF_DIR/VirtualDomain"
  chmod 0755 "$ROOT$OCF_DIR/ptpstatus" "$ROOT$OCF_DIR/VirtualDomain"
  cp "$DEB" "$ROOT/tmp/seapath-agents.deb"
  root_snapshot >"$BATS_FILE_TMPDIR/before"
}

teardown_file() {
  [ -z "${ROOT:-}" ] || rm -rf "$ROOT"
}

setup() {
  load helpers/debian-root
}

md5_of() { md5sum <"$1" | cut -d' ' -f1; }

@test "lintian reports nothing but the overridden tags, each with its reason" {
  run lintian --fail-on error,warning,info,pedantic --display-level '>=pedantic' --display-experimental "$DEB"
  echo "$output"
  [ "$status" -eq 0 ]
  # shellcheck disable=SC2143 # `! grep` would not fail a bats test
  [ -z "$(grep -v '^running with root privileges' <<<"$output")" ]
  # every override, or group of overrides, carries a comment line above it
  overrides=$(dpkg-deb --fsys-tarfile "$DEB" | tar -xO ./usr/share/lintian/overrides/seapath-agents)
  awk '/^seapath-agents:/ && prev !~ /^#/ && prev !~ /^seapath-agents:/ { bad = 1 } { prev = $0 } END { exit bad }' <<<"$overrides"
}

@test "the package holds the executable, its links, the man pages and the documentation" {
  run dpkg-deb -c "$DEB"
  for path in usr/lib/seapath-agents/seapath-agents usr/share/man/man8/fence_outscale.8.gz \
    usr/share/doc/seapath-agents/copyright usr/share/doc/seapath-agents/changelog.Debian.gz; do
    grep -q " ./$path\$" <<<"$output"
  done
  for agent in vm VirtualDomain ping vip; do
    grep -q " ./usr/lib/ocf/resource.d/seapath/$agent -> ../../../seapath-agents/seapath-agents\$" <<<"$output"
    grep -q " ./usr/share/man/man7/ocf_seapath_$agent.7.gz\$" <<<"$output"
  done
  grep -q ' ./usr/sbin/fence_outscale -> ../lib/seapath-agents/seapath-agents$' <<<"$output"
  grep -q " ./usr/lib/systemd/system/seapath-agents-pin.service$" <<<"$output"
  for doc in vm vip ping fence_outscale migration-from-stock troubleshooting seapath memory-pressure; do
    grep -q " ./usr/share/doc/seapath-agents/docs/$doc.md\$" <<<"$output"
  done
  # nothing else of the agents' directory: SEAPATH's files there stay theirs
  [ "$(grep -c ' ./usr/lib/ocf/resource.d/seapath/.' <<<"$output")" -eq 4 ]
  run dpkg-deb -f "$DEB" Depends Recommends Suggests
  [[ "$output" == *"resource-agents, iproute2, pacemaker-cli-utils"* ]]
  [[ "$output" == *"Recommends: libvirt-clients, ceph-common, iputils-arping, iputils-ping"* ]]
  [[ "$output" == *"Suggests: fping"* ]]
}

@test "apt installs it into the clean Debian 12 root; the Ansible VirtualDomain is kept aside, ptpstatus untouched" {
  ansible_md5=$(md5_of "$ROOT$OCF_DIR/VirtualDomain")
  ptp_md5=$(md5_of "$ROOT$OCF_DIR/ptpstatus")
  run in_root apt-get install -y --no-install-recommends /tmp/seapath-agents.deb
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"moved the existing $OCF_DIR/VirtualDomain to $KEPT"* ]]
  # shellcheck disable=SC2016 # expanded by the inner shell, not this one
  [ "$(in_root dpkg-query -W -f='${Status}' seapath-agents)" = "install ok installed" ]
  [ "$(readlink "$ROOT$OCF_DIR/VirtualDomain")" = ../../../seapath-agents/seapath-agents ]
  [ "$(md5_of "$ROOT$KEPT")" = "$ansible_md5" ]
  [ "$(md5_of "$ROOT$OCF_DIR/ptpstatus")" = "$ptp_md5" ]
  run in_root dpkg -S "$OCF_DIR/ptpstatus"
  [ "$status" -ne 0 ] # not the package's
}

@test "the drop-ins ordering libvirtd and guest shutdown after Pacemaker are installed where systemd reads them, owned by the package" {
  local dir=/usr/lib/systemd/system/resource-agents-deps.target.d f
  for f in seapath-vm-libvirt.conf seapath-vm-machines.conf; do
    [ -f "$ROOT$dir/$f" ]
    [ "$(stat -c %a "$ROOT$dir/$f")" = 644 ]
    [ "$(in_root dpkg -S "$dir/$f")" = "seapath-agents: $dir/$f" ]
  done
  grep -qx 'After=libvirtd.service virtqemud.service' "$ROOT$dir/seapath-vm-libvirt.conf"
  grep -qx 'Wants=virt-guest-shutdown.target' "$ROOT$dir/seapath-vm-machines.conf"
  # The target they extend is resource-agents' (a Depends), and Pacemaker's unit starts after it.
  [ -f "$ROOT/usr/lib/systemd/system/resource-agents-deps.target" ]
  grep -qx 'After=resource-agents-deps.target' /lib/systemd/system/pacemaker.service
}

@test "postinst: no systemd running, it calls no systemctl and succeeds; running, it runs daemon-reload, and a failing one fails nothing" {
  # systemd cannot run in the root: a stand-in systemctl records its arguments and exits SYSTEMCTL_RC.
  local postinst=/var/lib/dpkg/info/seapath-agents.postinst calls=$ROOT/tmp/systemctl.calls
  [ -x "$ROOT$postinst" ]
  mkdir -p "$ROOT/tmp/stand-in"
  # shellcheck disable=SC2016 # the stand-in's own $* and ${SYSTEMCTL_RC}
  printf '#!/bin/sh\necho "$*" >>/tmp/systemctl.calls\nexit "${SYSTEMCTL_RC:-0}"\n' >"$ROOT/tmp/stand-in/systemctl"
  chmod +x "$ROOT/tmp/stand-in/systemctl"
  rm -f "$calls"
  [ ! -d "$ROOT/run/systemd/system" ]
  in_root env PATH=/tmp/stand-in:/usr/sbin:/usr/bin:/sbin:/bin "$postinst" configure
  [ ! -e "$calls" ]
  mkdir -p "$ROOT/run/systemd/system"
  in_root env PATH=/tmp/stand-in:/usr/sbin:/usr/bin:/sbin:/bin "$postinst" configure
  [ "$(head -n 1 "$calls")" = "--system daemon-reload" ]
  [ "$(grep -c 'daemon-reload' "$calls")" -eq 1 ]
  # the opt-in pin unit is only ever try-restarted (deb-systemd-invoke), never enabled or started
  ! grep -Eq '(^| )(enable|start|restart|reload-or-restart) ' "$calls" || false
  in_root env PATH=/tmp/stand-in:/usr/sbin:/usr/bin:/sbin:/bin SYSTEMCTL_RC=1 "$postinst" configure
  [ "$(grep -c 'daemon-reload' "$calls")" -eq 2 ]
  # only at configure: not when dpkg unwinds a failed upgrade
  local before
  before=$(wc -l <"$calls")
  in_root env PATH=/tmp/stand-in:/usr/sbin:/usr/bin:/sbin:/bin "$postinst" abort-upgrade 0.0.1-1
  [ "$(wc -l <"$calls")" -eq "$before" ]
  rm -rf "$ROOT/run/systemd" "$ROOT/tmp/stand-in" "$calls"
}

@test "each installed agent prints its meta-data, valid against the OCF 1.1 schema" {
  for agent in vm VirtualDomain ping vip; do
    run in_root "$OCF_DIR/$agent" meta-data
    [ "$status" -eq 0 ]
    grep -q "<resource-agent name=\"$agent\"" <<<"$output"
    xmllint --noout --nonet --relaxng "$RNG" - <<<"$output"
  done
  run in_root fence_outscale -o metadata
  [ "$status" -eq 0 ]
  grep -q '<resource-agent name="fence_outscale"' <<<"$output"
}

@test "crm_resource lists and describes the agents; SEAPATH's ptpstatus is still listed, no kept copy is" {
  run in_root crm_resource --show-metadata ocf:seapath:vm
  [ "$status" -eq 0 ]
  grep -q '<resource-agent name="vm"' <<<"$output"
  run in_root crm_resource --list-agents ocf:seapath
  [ "$status" -eq 0 ]
  [ "$(sort <<<"$output" | paste -sd' ')" = "VirtualDomain ping ptpstatus vip vm" ]
}

@test "stonith_admin reads fence_outscale's metadata" {
  run in_root stonith_admin --metadata -a fence_outscale
  [ "$status" -eq 0 ]
  grep -q '<resource-agent name="fence_outscale"' <<<"$output"
}

@test "man finds every page, and each page names every parameter of its agent" {
  run in_root man -w ocf_seapath_vm
  [ "$status" -eq 0 ]
  [ "$output" = /usr/share/man/man7/ocf_seapath_vm.7.gz ]
  for agent in vm VirtualDomain ping vip; do
    page=$(in_root env MANWIDTH=200 man -P cat "ocf_seapath_$agent" | sed 's/.\x08//g')
    params=$(in_root "$OCF_DIR/$agent" meta-data | grep -o '<parameter name="[^"]*"' | cut -d'"' -f2)
    [ -n "$params" ]
    for p in $params; do grep -qx " \{7\}$p" <<<"$page" || { echo "ocf_seapath_$agent.7 lacks $p"; return 1; }; done
  done
  page=$(in_root env MANWIDTH=200 man -P cat fence_outscale | sed 's/.\x08//g')
  for p in $(in_root fence_outscale -o metadata | grep -o '<parameter name="[^"]*"' | cut -d'"' -f2); do
    grep -qw -- "$p" <<<"$page" || { echo "fence_outscale.8 lacks $p"; return 1; }
  done
}

@test "its Recommends and Suggests are installable from Debian 12 alone" {
  wanted=$(dpkg-deb -f "$DEB" Recommends Suggests | sed 's/^[A-Za-z]*: //; s/([^)]*)//g; s/,/ /g' | xargs)
  # shellcheck disable=SC2086
  run in_root apt-get install -s --no-install-recommends $wanted
  [ "$status" -eq 0 ]
  for p in $wanted; do grep -q "^Inst $p " <<<"$output"; done
}

@test "an upgrade over an Ansible run that replaced the link restores the link and keeps the newer copy aside" {
  # The Ansible task copies its VirtualDomain over the package's link on every run.
  rm "$ROOT$OCF_DIR/VirtualDomain"
  cp "$ROOT$KEPT" "$ROOT$OCF_DIR/VirtualDomain"
  ptp_md5=$(md5_of "$ROOT$OCF_DIR/ptpstatus")
  # The same package, one Debian revision later (uncompressed: only the version matters here).
  dpkg-deb -R "$DEB" "$BATS_TEST_TMPDIR/next"
  sed -i 's/^Version: \(.*\)-\([0-9]*\)$/Version: \1-9\2/' "$BATS_TEST_TMPDIR/next/DEBIAN/control"
  dpkg-deb --root-owner-group -Znone -b "$BATS_TEST_TMPDIR/next" "$ROOT/tmp/seapath-agents-next.deb" >/dev/null
  run in_root apt-get install -y --no-install-recommends /tmp/seapath-agents-next.deb
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Unpacking seapath-agents ("*") over ("* ]]
  [ "$(readlink "$ROOT$OCF_DIR/VirtualDomain")" = ../../../seapath-agents/seapath-agents ]
  [ -f "$ROOT$KEPT" ]
  [ "$(md5_of "$ROOT$OCF_DIR/ptpstatus")" = "$ptp_md5" ]
}

@test "purge leaves the root exactly as before the install: SEAPATH's VirtualDomain back, ptpstatus intact" {
  run in_root apt-get purge -y seapath-agents
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"restored $OCF_DIR/VirtualDomain from $KEPT"* ]]
  # shellcheck disable=SC2016 # expanded by the inner shell, not this one
  run in_root dpkg-query -W -f='${Status}' seapath-agents
  [[ "$output" != *installed* ]]
  root_snapshot >"$BATS_FILE_TMPDIR/after"
  run diff "$BATS_FILE_TMPDIR/before" "$BATS_FILE_TMPDIR/after"
  echo "$output"
  [ "$status" -eq 0 ]
}
