#!/bin/busybox sh
# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=dash # busybox sh (ash), checked as dash, its closest dialect
# /init of the test guest (see build.sh). Prints on the serial console (ttyS0):
#   vi-guest: up boot=<id> after=<s>             once, when init starts
#   vi-guest: wrote /dev/vda                      once, after writing the first sector
#   vi-guest: alive boot=<id> up=<s> n=<count>    every second
#   vi-guest: poweroff                            on the ACPI power button
# A test proves the guest kept running across a migration by seeing the same boot id
# with a larger uptime and counter after the migration (a reboot changes the boot id).
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
BOOT=$(cat /proc/sys/kernel/random/boot_id)
echo "vi-guest: up boot=$BOOT after=$(cut -d' ' -f1 /proc/uptime)"
for m in evdev button virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk; do
  insmod /lib/$m.ko 2>/dev/null || echo "vi-guest: insmod $m failed"
done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 25 ]; do sleep 0.2; i=$((i + 1)); done
if [ -b /dev/vda ]; then
  echo "vi-guest-was-here boot=$BOOT" | dd of=/dev/vda bs=512 count=1 conv=sync,fsync 2>/dev/null \
    && echo "vi-guest: wrote /dev/vda"
fi
ev=
for e in /sys/class/input/event*; do
  grep -q "Power Button" "$e/device/name" 2>/dev/null && ev=/dev/input/${e##*/}
done
(
  n=0
  while :; do
    n=$((n + 1))
    echo "vi-guest: alive boot=$BOOT up=$(cut -d' ' -f1 /proc/uptime) n=$n"
    sleep 1
  done
) &
if [ -n "$ev" ]; then
  head -c 24 "$ev" >/dev/null
  echo "vi-guest: poweroff"
  sync
  poweroff -f
fi
echo "vi-guest: no power button; running until destroyed"
while :; do sleep 3600; done
