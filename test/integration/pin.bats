#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# seapath-agents-pin.service, the opt-in fix for monitor latency under memory pressure
# (docs/memory-pressure.md): the package installs it without enabling it, systemd accepts it, and
# its ExecStart, run as it is written (no systemd here), keeps the installed executable in RAM
# when the page cache is dropped.

bats_require_minimum_version 1.5.0

UNIT=seapath-agents-pin.service
EXE=/usr/lib/seapath-agents/seapath-agents

setup() {
  ROOT=$BATS_TEST_DIRNAME/../..
  PIN_PID=
}

teardown() {
  [[ -z $PIN_PID ]] || kill "$PIN_PID" 2>/dev/null || true
}

# The ExecStart line of the installed unit, as systemd would run it (no prefixes such as '-' in it).
exec_start() { sed -n 's/^ExecStart=//p' "/usr/lib/systemd/system/$UNIT"; }

resident_pages() { fincore -n -b -o PAGES "$EXE" | tr -d ' '; }
file_pages() { echo $((($(stat -c %s "$EXE") + 4095) / 4096)); }
# POSIX_FADV_DONTNEED on the whole file: what reclaim does to pages nobody locked.
evict() { dd if="$EXE" iflag=nocache count=0 status=none; }

@test "install puts the unit under DESTDIR without enabling it, and systemd reads it without a warning" {
  dest=$BATS_TEST_TMPDIR/dest
  (cd "$ROOT" && packaging/install.sh dist/seapath-agents "$dest" >/dev/null)
  cmp "$dest/usr/lib/systemd/system/$UNIT" "$ROOT/packaging/systemd/$UNIT"
  # not enabled: nothing wants it
  run find "$dest" -path '*.wants/*' -name "$UNIT"
  [ -z "$output" ]
  [ ! -e "$dest/etc/systemd/system/multi-user.target.wants/$UNIT" ]
  run --separate-stderr env SYSTEMD_UNIT_PATH="$dest/usr/lib/systemd/system:/lib/systemd/system" systemd-analyze verify "$UNIT"
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ -z "$stderr" ]
  grep -qx 'WantedBy=multi-user.target' "$dest/usr/lib/systemd/system/$UNIT"
}

@test "the unit's ExecStart locks every page of the installed executable: resident when the cache is dropped, released once it stops" {
  [ -f "/usr/lib/systemd/system/$UNIT" ] # make install put it there
  line=$(exec_start)
  [[ $line == /usr/bin/vmtouch* ]]
  read -ra argv <<<"$line"
  "${argv[@]}" >/dev/null 2>&1 &
  PIN_PID=$!
  want_kib=$(($(file_pages) * 4))
  for _ in $(seq 100); do
    lck=$(awk '/^VmLck:/ { print $2 }' "/proc/$PIN_PID/status" 2>/dev/null)
    ((${lck:-0} >= want_kib)) && break
    sleep 0.1
  done
  echo "# VmLck ${lck:-?} kB of $want_kib kB, process state $(awk '{ print $3 }' "/proc/$PIN_PID/stat")" >&3
  ((lck >= want_kib))
  # it stays in the foreground holding the lock (Type=simple)
  sleep 1
  [[ $(awk '{ print $3 }' "/proc/$PIN_PID/stat") == [SR] ]]
  evict
  [ "$(resident_pages)" -eq "$(file_pages)" ]

  kill "$PIN_PID"; wait "$PIN_PID" 2>/dev/null || true; PIN_PID=
  evict
  echo "# after it stopped and the cache was dropped: $(resident_pages) of $(file_pages) pages resident" >&3
  [ "$(resident_pages)" -lt "$(file_pages)" ]
}
