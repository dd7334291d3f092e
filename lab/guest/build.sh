#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Build the tiny test guest: a Debian kernel + a busybox initramfs.
# usage: lab/guest/build.sh [OUT_DIR]      (default /var/cache/seapath-agents/guest)
# Output: OUT_DIR/vmlinuz, OUT_DIR/initrd.img, OUT_DIR/stamp (kernel version)
# Nothing is installed: the kernel and busybox-static .debs are taken from the apt cache,
# else fetched with `apt-get download`, and only unpacked. Idempotent and safe to run
# concurrently (flock; the output appears atomically).
#
# The guest's /init (see init.sh): loads evdev, button and virtio-blk; writes one sector to
# /dev/vda (so QEMU's librbd takes the image's exclusive lock); prints a heartbeat line
#   "vi-guest: alive boot=<boot_id> up=<seconds> n=<counter>"
# on the serial console every second; powers off on the ACPI power button (virsh shutdown).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-/var/cache/seapath-agents/guest}
MODS="drivers/input/evdev drivers/acpi/button drivers/virtio/virtio_ring drivers/virtio/virtio
      drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev
      drivers/virtio/virtio_pci drivers/block/virtio_blk"
INIT_SUM=$(sha256sum "$HERE/init.sh" | cut -c1-16)

mkdir -p "$(dirname "$OUT")"
exec 9>"$OUT.lock"
flock -w 120 9 || { echo "guest build: timed out waiting for $OUT.lock" >&2; exit 1; }
if [ -f "$OUT/stamp" ] && grep -q "init=$INIT_SUM" "$OUT/stamp"; then
  exit 0
fi

W=$(mktemp -d "$OUT.tmp.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"

# A kernel .deb: prefer one already in the apt cache (cloud flavour first: fewer drivers,
# faster TCG boot), else download the current generic one.
pick_cached() {
  local f
  for f in /var/cache/apt/archives/linux-image-[0-9]*-cloud-amd64_*.deb \
           /var/cache/apt/archives/linux-image-[0-9]*-amd64_*.deb; do
    case "$f" in *-dbg_*|*unsigned*) continue ;; esac
    [ -f "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}
if ! KDEB=$(pick_cached); then
  KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')
  timeout 120 apt-get download "$KPKG" >/dev/null
  KDEB=$(ls "$W"/linux-image-*.deb)
fi
# shellcheck disable=SC2012 # Debian package file names: no blanks or newlines
BBDEB=$(ls /var/cache/apt/archives/busybox-static_*.deb 2>/dev/null | head -1 || true)
if [ -z "$BBDEB" ]; then
  timeout 120 apt-get download busybox-static >/dev/null
  BBDEB=$(ls "$W"/busybox-static_*.deb)
fi
KVER=$(dpkg-deb -f "$KDEB" Package); KVER=${KVER#linux-image-}

mkdir -p k bb root/bin root/lib root/proc root/sys root/dev root/tmp
# extract only the files needed (the whole kernel .deb takes seconds to unpack)
# shellcheck disable=SC2046 # one module path a word
dpkg-deb --fsys-tarfile "$KDEB" | tar -x -C k "./boot/vmlinuz-$KVER" \
    $(for m in $MODS; do echo "./lib/modules/$KVER/kernel/$m.ko"; done)
dpkg-deb --fsys-tarfile "$BBDEB" | tar -x -C bb ./bin/busybox
cp bb/bin/busybox root/bin/busybox
for m in $MODS; do cp "k/lib/modules/$KVER/kernel/$m.ko" root/lib/; done
install -m 0755 "$HERE/init.sh" root/init

mkdir -p new
(cd root && find . | ../bb/bin/busybox cpio -o -H newc 2>/dev/null | gzip -1) > new/initrd.img
cp "k/boot/vmlinuz-$KVER" new/vmlinuz
printf 'kernel=%s init=%s\n' "$KVER" "$INIT_SUM" > new/stamp
rm -rf "$OUT.old"
[ -d "$OUT" ] && mv "$OUT" "$OUT.old"
mv new "$OUT"
rm -rf "$OUT.old"
echo "guest built in $OUT ($KVER)"
