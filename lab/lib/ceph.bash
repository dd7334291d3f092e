# SPDX-License-Identifier: Apache-2.0
# shellcheck disable=SC2015 # `A && B || C` here means: C when A or B fails
# shellcheck source-path=SCRIPTDIR
# shellcheck shell=bash
# A throw-away Ceph for integration tests: one mon + one memstore OSD (+ optional mgr),
# cephx on, pool `rbd` initialised for RBD, clients `client.admin` and `client.libvirt`.
# Everything lives under one directory; nothing under /etc/ceph or /var/lib/ceph is touched.
#
#   source lab/lib/ceph.bash
#   ceph_start "$dir"                   # host mode: mon on a free 127.118.x.y (loopback)
#   CEPH_EXEC="in_node vic" ceph_start "$dir" 198.51.100.10   # inside a namespace "node"
#   ceph_rbd ls                         # rbd as client.admin (through CEPH_EXEC if set)
#   ceph_system_image "$dir" vm1 dom.xml   # rbd/system_vm1 + image-meta xml
#   ceph_pause "$dir"; ceph_resume "$dir"  # SIGSTOP/SIGCONT the daemons ("Ceph hung")
#   ceph_stop "$dir"                    # bounded; kills only this cluster's daemons
#
# Layout of DIR:
#   etc/ceph.conf, etc/ceph.client.admin.keyring, etc/ceph.client.libvirt.keyring
#        (bind-mount DIR/etc on /etc/ceph inside a private mount namespace and every Ceph
#         client there - rbd, QEMU, the agent - finds the cluster with no flags)
#   env                 shell assignments (CEPH_DIR, CEPH_ADDR, CEPH_EXEC, CEPH_CONF, ...)
#   run/ (pid files, admin sockets), log/, mon/, osd/
#
# After ceph_start (or ceph_use DIR) these are exported: CEPH_CONF (so plain `rbd`/`ceph`/
# `rados` work as client.admin, or `--id libvirt`, wherever CEPH_ADDR is reachable: host mode,
# or inside the namespaces), CEPH_ADMIN_KEYRING (path, informative; NOT CEPH_KEYRING: every
# Ceph program, daemons included, reads that variable and would present the admin key), CEPH_DIR,
# CEPH_ADDR = CEPH_MON_HOST, CEPH_EXEC, CEPH_FSID, and CEPH_LIBVIRT_KEY_FILE (a 0600 file with
# the base64 key of client.libvirt; libvirt_start defines the libvirt secret from it).
# If ceph_start fails half way, still call ceph_stop DIR: it kills whatever was started.
#
# Timing on this machine (2 cores, memstore, no mgr): ceph_start ~1.5-2.5 s.

CEPH_HELPER_WAIT_S=${CEPH_HELPER_WAIT_S:-30}

# shellcheck source=proc.bash
source "$(dirname "${BASH_SOURCE[0]}")/proc.bash"

# the pid in FILE, only if that process is alive and one of this cluster's daemons
_ceph_own_pid() {
  local f=$1 dir=$2 pid
  [ -f "$f" ] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  proc_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/etc/ceph.conf" || return 1
  echo "$pid"
}

_ceph_pids() {
  local dir=$1 f
  for f in "$dir"/run/*.pid; do _ceph_own_pid "$f" "$dir" || true; done
}

# run a command where the cluster lives (CEPH_EXEC prefix, e.g. "in_node vic")
_ceph_x() {
  # shellcheck disable=SC2086
  ${CEPH_EXEC:-} "$@"
}

# as _ceph_x, without the caller's CEPH_KEYRING/CEPH_ARGS: every Ceph program, daemons
# included, reads them, and a daemon then presents the wrong key ("handle_auth_bad_method")
_ceph_daemon() { _ceph_x env -u CEPH_KEYRING -u CEPH_ARGS "$@"; }

_ceph_fail() { echo "ceph helper: $*" >&2; return 1; }

# a loopback address with nothing on the mon ports (127.0.0.0/8 is all on lo, no setup)
_ceph_free_loopback() {
  local i a
  for i in $(seq 1 200); do
    a=127.118.$(( (RANDOM % 250) + 1 )).$(( (RANDOM % 250) + 1 ))
    if ! ss -Hltn "( src $a:6789 or src $a:3300 )" 2>/dev/null | grep -q .; then
      echo "$a"; return 0
    fi
  done
  return 1
}

# ceph_use DIR: export the cluster's client environment into the current shell
ceph_use() {
  local dir=${1:?usage: ceph_use DIR}
  [ -f "$dir/env" ] || { _ceph_fail "no cluster in $dir (missing $dir/env)"; return 1; }
  # shellcheck disable=SC1091
  source "$dir/env"
  CEPH_ADMIN_KEYRING=$CEPH_DIR/etc/ceph.client.admin.keyring
  export CEPH_DIR CEPH_ADDR CEPH_EXEC CEPH_CONF CEPH_FSID CEPH_LIBVIRT_KEY_FILE CEPH_MON_HOST CEPH_ADMIN_KEYRING
}

# ceph_rbd ARGS... / ceph_ceph ARGS... / ceph_rados ARGS...: run as client.admin (or --id X),
# where the cluster lives (CEPH_EXEC), bounded by CEPH_CMD_TIMEOUT_S (default 20 s)
ceph_rbd() { _ceph_daemon timeout --kill-after=5 "${CEPH_CMD_TIMEOUT_S:-20}" rbd --conf "$CEPH_CONF" "$@"; }
ceph_ceph() { _ceph_daemon timeout --kill-after=5 "${CEPH_CMD_TIMEOUT_S:-20}" ceph --conf "$CEPH_CONF" --connect-timeout 10 "$@"; }
ceph_rados() { _ceph_daemon timeout --kill-after=5 "${CEPH_CMD_TIMEOUT_S:-20}" rados --conf "$CEPH_CONF" "$@"; }

# ceph_start DIR [ADDR]: bootstrap a new cluster in DIR (must not hold one already).
#   ADDR: mon/OSD address (default: $CEPH_ADDR, else a free 127.118.x.y on loopback)
#   env CEPH_EXEC: command prefix to run daemons and admin commands in (a namespace)
#   env CEPH_WITH_MGR=1: also start a mgr (not needed for RBD; costs ~150-300 MB RAM)
ceph_start() {
  local dir=${1:?usage: ceph_start DIR [ADDR]} addr=${2:-${CEPH_ADDR:-}}
  local t0 fsid osd_uuid osd_secret osd_id
  t0=$(proc_now_ms)
  mkdir -p "$dir" && dir=$(cd "$dir" && pwd) || return 1
  [ -e "$dir/mon" ] && { _ceph_fail "$dir already holds a cluster; ceph_stop it and use a new dir"; return 1; }
  if [ -z "$addr" ]; then
    [ -z "${CEPH_EXEC:-}" ] || { _ceph_fail "ceph_start with CEPH_EXEC needs ADDR"; return 1; }
    addr=$(_ceph_free_loopback) || { _ceph_fail "no free loopback address for the mon"; return 1; }
  fi
  mkdir -p "$dir"/{etc,run,log,mon/a,osd/0} || return 1
  fsid=$(cat /proc/sys/kernel/random/uuid)
  local mon_host="[v2:$addr:3300,v1:$addr:6789]"
  cat >"$dir/etc/ceph.conf" <<EOF
[global]
fsid = $fsid
mon initial members = a
mon host = $mon_host
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon max pg per osd = 1000
ms bind ipv6 = false
run dir = $dir/run
osd objectstore = memstore
memstore device bytes = 1073741824
osd memory target = 939524096
mon data avail warn = 2
mon data avail crit = 1
[client]
keyring = $dir/etc/\$cluster.\$name.keyring
[mon]
# faster map commits (defaults 1.0 s / 0.05 s): bootstrap 9 s -> under 2 s
paxos propose interval = 0.05
paxos min wait = 0.01
auth allow insecure global id reclaim = false
mon data = $dir/mon/\$id
log file = $dir/log/\$cluster-\$name.log
pid file = $dir/run/\$name.pid
public addr = $addr
[mgr]
mgr data = $dir/mgr/\$id
log file = $dir/log/\$cluster-\$name.log
pid file = $dir/run/\$name.pid
[osd]
osd data = $dir/osd/\$id
log file = $dir/log/\$cluster-\$name.log
pid file = $dir/run/\$name.pid
# bind to the mon address, not 0.0.0.0:6800-6807
public addr = $addr
cluster addr = $addr
EOF
  local conf=$dir/etc/ceph.conf
  ceph-authtool --create-keyring "$dir/run/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null &&
  ceph-authtool --create-keyring "$dir/etc/ceph.client.admin.keyring" --gen-key -n client.admin \
      --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null &&
  ceph-authtool "$dir/run/mon.keyring" --import-keyring "$dir/etc/ceph.client.admin.keyring" >/dev/null &&
  monmaptool --create --fsid "$fsid" --addv a "$mon_host" "$dir/run/monmap" >/dev/null &&
  env -u CEPH_KEYRING -u CEPH_ARGS ceph-mon --conf "$conf" --mkfs -i a --monmap "$dir/run/monmap" --keyring "$dir/run/mon.keyring" \
      >"$dir/log/mon-mkfs.out" 2>&1 || { _ceph_fail "mon mkfs failed: $(tail -3 "$dir/log/mon-mkfs.out")"; return 1; }

  cat >"$dir/env" <<EOF
CEPH_DIR='$dir'
CEPH_ADDR='$addr'
CEPH_EXEC='${CEPH_EXEC:-}'
CEPH_CONF='$conf'
CEPH_FSID='$fsid'
CEPH_MON_HOST='$addr'
CEPH_LIBVIRT_KEY_FILE='$dir/etc/client.libvirt.key'
EOF
  ceph_use "$dir" || return 1

  proc_spawn _ceph_daemon ceph-mon --conf "$conf" -i a >"$dir/log/mon.out" 2>&1 ||
    { _ceph_fail "ceph-mon did not start: $(tail -3 "$dir/log/mon.out")"; return 1; }
  # the mon is up when a C++ client (30 ms, not the 150 ms python CLI) gets the osdmap
  local deadline=$(($(proc_now_ms) + CEPH_HELPER_WAIT_S * 1000)) up=
  while (($(proc_now_ms) < deadline)); do
    _ceph_daemon timeout --kill-after=2 3 rados --conf "$conf" lspools >/dev/null 2>&1 && { up=1; break; }
    sleep 0.1
  done
  [ -n "$up" ] ||
    { _ceph_fail "mon at $addr not answering after ${CEPH_HELPER_WAIT_S}s (see $dir/log/ceph-mon.a.log)"; return 1; }

  if [ "${CEPH_WITH_MGR:-0}" = 1 ]; then
    mkdir -p "$dir/mgr/x"
    ceph_ceph auth get-or-create mgr.x mon 'allow profile mgr' osd 'allow *' mds 'allow *' \
        >"$dir/mgr/x/keyring" && proc_spawn _ceph_daemon ceph-mgr --conf "$conf" -i x >"$dir/log/mgr.out" 2>&1 ||
      { _ceph_fail "mgr did not start"; return 1; }
  fi

  # OSD (the pool is created meanwhile: it needs only the mon)
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  osd_secret=$(ceph-authtool --gen-print-key)
  osd_id=$(printf '{"cephx_secret": "%s"}' "$osd_secret" | ceph_ceph osd new "$osd_uuid" -i -) &&
    [ "$osd_id" = 0 ] || { _ceph_fail "ceph osd new failed (got '$osd_id')"; return 1; }
  # --no-mon-config: mkfs needs nothing from the mon
  ceph-authtool --create-keyring "$dir/osd/0/keyring" --name osd.0 --add-key "$osd_secret" >/dev/null &&
  _ceph_daemon ceph-osd --conf "$conf" -i 0 --mkfs --no-mon-config --osd-uuid "$osd_uuid" >"$dir/log/osd-mkfs.out" 2>&1 ||
    { _ceph_fail "osd mkfs failed: $(tail -3 "$dir/log/osd-mkfs.out")"; return 1; }
  proc_spawn _ceph_daemon ceph-osd --conf "$conf" -i 0 >"$dir/log/osd.out" 2>&1 ||
    { _ceph_fail "ceph-osd did not start: $(tail -3 "$dir/log/osd.out")"; return 1; }

  ceph_ceph osd pool create rbd 8 8 >/dev/null 2>&1 &&
  ceph_ceph osd pool set rbd size 1 --yes-i-really-mean-it >/dev/null 2>&1 &&
  ceph_ceph auth get-or-create client.libvirt mon 'profile rbd' osd 'profile rbd pool=rbd' mgr 'profile rbd pool=rbd' \
      >"$dir/etc/ceph.client.libvirt.keyring" ||
    { _ceph_fail "pool/auth setup failed"; return 1; }
  (umask 077 && ceph_ceph auth get-key client.libvirt >"$dir/etc/client.libvirt.key") ||
    { _ceph_fail "cannot read client.libvirt's key"; return 1; }
  # rbd pool init blocks until the OSD is up and the PGs are active: that is the readiness wait
  CEPH_CMD_TIMEOUT_S=$CEPH_HELPER_WAIT_S ceph_rbd pool init rbd >"$dir/log/pool-init.out" 2>&1 ||
    { _ceph_fail "rbd pool init did not finish in ${CEPH_HELPER_WAIT_S}s (OSD not up? see $dir/log/ceph-osd.0.log)"; return 1; }
  echo "ceph_start: cluster $fsid on $addr ready in $(($(proc_now_ms) - t0)) ms" >"$dir/log/start-time"
  [ -n "${CEPH_HELPER_QUIET:-}" ] || cat "$dir/log/start-time" >&2
}

# ceph_pause DIR [mon|osd|all]: SIGSTOP the daemons, so clients hang as with a lost quorum
ceph_pause() { _ceph_signal "${1:?usage: ceph_pause DIR [mon|osd|all]}" STOP "${2:-all}"; }
# ceph_resume DIR [mon|osd|all]: SIGCONT them
ceph_resume() { _ceph_signal "${1:?usage: ceph_resume DIR [mon|osd|all]}" CONT "${2:-all}"; }

_ceph_signal() {
  local dir=$1 sig=$2 which=$3 f pid
  dir=$(cd "$dir" && pwd) || return 1
  for f in "$dir"/run/*.pid; do
    case "$which:${f##*/}" in all:*|mon:mon.*|osd:osd.*|mgr:mgr.*) ;; *) continue ;; esac
    pid=$(_ceph_own_pid "$f" "$dir") && kill "-$sig" "$pid"
  done
  return 0
}

# ceph_kill DIR [mon|osd|all]: SIGKILL the daemons (Ceph crashed); ceph_stop still cleans up
ceph_kill() {
  local dir=${1:?usage: ceph_kill DIR [mon|osd|all]}
  _ceph_signal "$dir" KILL "${2:-all}"
}

# ceph_stop DIR: SIGKILL this cluster's daemons (memstore: nothing to flush; a TERMed OSD
# waits 5 s for a mon ack it may never get) and wait until they are gone (bounded, 5 s).
# Returns 0 when nothing is left, also when nothing was running. Leaves DIR for the caller.
ceph_stop() {
  local dir=${1:?usage: ceph_stop DIR} pids pid left
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd) || return 0
  pids=$(_ceph_pids "$dir")
  for pid in $pids; do kill -KILL "$pid" 2>/dev/null; done
  # shellcheck disable=SC2086 # one pid a word
  left=$(proc_wait_gone 50 $pids) || { _ceph_fail "daemons $left of $dir still alive 5 s after SIGKILL"; return 1; }
  rm -f "$dir"/run/*.pid
}

# ceph_system_image DIR VM XML_FILE [SIZE_MB] [POOL]: create POOL/system_VM the way SEAPATH's
# vm_manager does: the guest disk image, with the domain XML in image-meta key `xml` and the
# name in `vm_name`. SIZE_MB defaults to 64 (thin, empty); with CEPH_IMAGE_SOURCE=FILE (a raw
# disk image) the image is imported from FILE instead.
ceph_system_image() {
  local dir=${1:?usage: ceph_system_image DIR VM XML_FILE [SIZE_MB] [POOL]} vm=${2:?VM} xml=${3:?XML_FILE}
  local size=${4:-64} pool=${5:-rbd}
  ceph_use "$dir" || return 1
  [ -r "$xml" ] || { _ceph_fail "cannot read domain XML $xml"; return 1; }
  if [ -n "${CEPH_IMAGE_SOURCE:-}" ]; then
    ceph_rbd import --no-progress "$CEPH_IMAGE_SOURCE" "$pool/system_$vm" >/dev/null
  else
    ceph_rbd create --size "$size" "$pool/system_$vm"
  fi &&
  ceph_rbd image-meta set "$pool/system_$vm" vm_name "$vm" >/dev/null &&
  ceph_rbd image-meta set "$pool/system_$vm" xml "$(<"$xml")" >/dev/null ||
    { _ceph_fail "cannot create $pool/system_$vm"; return 1; }
}

# ceph_set_xml DIR VM XML_FILE [POOL]: replace the `xml` metadata of POOL/system_VM
ceph_set_xml() {
  local dir=${1:?usage: ceph_set_xml DIR VM XML_FILE [POOL]} vm=${2:?VM} xml=${3:?XML_FILE} pool=${4:-rbd}
  ceph_use "$dir" || return 1
  ceph_rbd image-meta set "$pool/system_$vm" xml "$(<"$xml")" >/dev/null
}

# ceph_watchers DIR IMAGE: the watcher lines of `rbd status` ("watcher=ADDR:0/NONCE client.N ...");
# fails (printing nothing) when rbd does not answer, so that no caller takes that for "no watcher".
ceph_watchers() {
  local dir=${1:?usage: ceph_watchers DIR POOL/IMAGE} img=${2:?POOL/IMAGE} out
  ceph_use "$dir" || return 1
  out=$(ceph_rbd status "$img") || { _ceph_fail "rbd status $img failed"; return 1; }
  [[ $out == *Watchers:* ]] || { _ceph_fail "rbd status $img: no Watchers section in: $out"; return 1; }
  grep -o 'watcher=[^ ]* client\.[0-9]*' <<<"$out" || true
}

# ceph_unwatched DIR IMAGE: rbd answered, and the image has no watcher
ceph_unwatched() {
  local watchers
  watchers=$(ceph_watchers "$@") || return 1
  [[ -z $watchers ]] || { echo "still watched: $watchers" >&2; return 1; }
}

# ceph_mount_etc DIR CMD_PREFIX...: inside a node's private mount namespace (e.g.
# `ceph_mount_etc "$dir" in_node a`), bind DIR/etc on /etc/ceph, so every Ceph client there
# (rbd, QEMU, an agent run by Pacemaker without CEPH_CONF) finds this cluster with no flags.
# Refuses to run without a prefix: the host's /etc/ceph is never touched.
ceph_mount_etc() {
  local dir=${1:?usage: ceph_mount_etc DIR CMD_PREFIX...}
  shift
  (($#)) || { _ceph_fail "ceph_mount_etc needs a namespace prefix (e.g. in_node a)"; return 1; }
  dir=$(cd "$dir" && pwd) || return 1
  [ "$(readlink /proc/self/ns/mnt)" != "$("$@" readlink /proc/self/ns/mnt)" ] ||
    { _ceph_fail "ceph_mount_etc: '$*' runs in the host's mount namespace"; return 1; }
  "$@" /bin/sh -c "mkdir -p /etc/ceph && mount --bind '$dir/etc' /etc/ceph"
}
