# SPDX-License-Identifier: Apache-2.0
# A clean Debian 12 root for package tests, made by mmdebstrap from the Debian mirror this machine's apt
# uses, cached as a tarball under /var/cache/seapath-agents (a second run only extracts it).

DEBIAN_ROOT_CACHE=/var/cache/seapath-agents

# Prints the cached root tarball holding the apt variant plus packages "$@", creating it on first use.
debian_root_tarball() {
  local key tarball sources=/etc/apt/sources.list.d/debian.sources
  [ -f "$sources" ] || sources=/etc/apt/sources.list
  key=$(printf '%s\n' bookworm "$@" | sha256sum | cut -c1-12)
  tarball=$DEBIAN_ROOT_CACHE/bookworm-apt-$key.tar
  if [ ! -s "$tarball" ]; then
    mkdir -p "$DEBIAN_ROOT_CACHE"
    # Package lists are kept, so that apt can resolve Recommends in the root without a download.
    mmdebstrap --quiet --variant=apt --format=tar --skip=cleanup/apt/lists --include="$(IFS=,; echo "$*")" \
      bookworm "$tarball.part" "$sources" >&2 || return 1
    mv "$tarball.part" "$tarball"
  fi
  echo "$tarball"
}

# Extracts tarball $1 into directory $2.
debian_root_extract() {
  mkdir -p "$2" && tar -xf "$1" -C "$2"
}

# Runs "$@" chrooted into root $ROOT with a clean environment and /proc mounted, in a mount namespace of
# its own so that nothing stays mounted whatever happens.
in_root() {
  # shellcheck disable=SC2016 # sh's own positional parameters
  unshare --mount --propagation private sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"' "$ROOT" "$@"
}

# One line per path of root $ROOT (type, mode, link target) and one md5 per regular file, leaving out
# what the kernel, apt, dpkg and man-db keep as state or cache.
root_snapshot() {
  local skip=(\( -path ./proc -o -path ./sys -o -path ./dev -o -path ./run -o -path ./tmp -o -path ./var/cache
    -o -path ./var/log -o -path ./var/lib/dpkg -o -path ./var/lib/apt \) -prune)
  (cd "$ROOT" && {
    find . -xdev "${skip[@]}" -o -printf '%p %y %m %l\n'
    find . -xdev "${skip[@]}" -o -type f -print0 | xargs -0 md5sum
  } | LC_ALL=C sort)
}
