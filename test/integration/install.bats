#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# packaging/install.sh (make install) while agents run: Pacemaker may exec an agent at any moment of
# an install, and a missing or not yet executable file is a hard error to pacemaker-execd (5, 4).

REPO=$BATS_TEST_DIRNAME/../..
OCF=/usr/lib/ocf/resource.d/seapath

setup() {
  DEST=$BATS_TEST_TMPDIR/root
  # two different "executables" (install.sh does not look inside): each says which it is, and is as
  # large as the real one, so that writing it takes as long
  local n
  for n in one two; do
    { printf '#!/bin/sh\necho %s\nexit 0\n' "$n"; head -c 100M /dev/zero; } >"$BATS_TEST_TMPDIR/$n"
  done
}

install_as() { (cd "$REPO" && packaging/install.sh "$BATS_TEST_TMPDIR/$1" "$DEST" >/dev/null); }

@test "a reinstall replaces the executable by rename: every run of an agent meanwhile finds a whole executable" {
  install_as one
  local runs=$BATS_TEST_TMPDIR/runs i
  (for i in $(seq 1 400); do "$DEST$OCF/vip" >/dev/null 2>&1; echo $?; done >"$runs") &
  local runner=$!
  for i in 1 2 3 4 5 6; do
    if ((i % 2)); then install_as two; else install_as one; fi
  done
  wait "$runner"
  # every exit status is 0: no run met a missing (127) or non-executable (126) file
  [ "$(sort -u "$runs")" = 0 ]
  [ "$(wc -l <"$runs")" -eq 400 ]
  [ "$("$DEST$OCF/vip")" = one ]
  [ "$("$DEST/usr/sbin/fence_outscale")" = one ]
  [ "$(stat -c %a "$DEST/usr/lib/seapath-agents/seapath-agents")" = 755 ]
  [ -z "$(find "$DEST" -name '*.new')" ]
}

@test "an install of the same executable leaves the file and its links untouched" {
  install_as one
  local before after
  before=$(stat -c '%i %Y' "$DEST/usr/lib/seapath-agents/seapath-agents" "$DEST$OCF/vm" "$DEST/usr/sbin/fence_outscale")
  sleep 1.1 # a rewrite would show in the modification time (seconds) as well as the inode
  install_as one
  after=$(stat -c '%i %Y' "$DEST/usr/lib/seapath-agents/seapath-agents" "$DEST$OCF/vm" "$DEST/usr/sbin/fence_outscale")
  [ "$before" = "$after" ]
}
