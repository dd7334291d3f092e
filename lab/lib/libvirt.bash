# SPDX-License-Identifier: Apache-2.0
# shellcheck disable=SC2015 # `A && B || C` here means: C when A or B fails
# shellcheck source-path=SCRIPTDIR
# shellcheck shell=bash
# Throw-away libvirtd "nodes" for integration tests (libvirt 9 + QEMU 7.2, TCG only, no systemd).
#
#   source lab/lib/libvirt.bash
#   LIBVIRT_BASE=...        # where node state lives (default $BATS_FILE_TMPDIR/lv, else /tmp/vi-libvirt)
#   libvirt_start a                              # host mode: own mount namespace, unix socket only
#   LIBVIRT_EXEC="in_node a" libvirt_start a 198.51.100.11   # inside a node.bash node, TCP on that address
#   libvirt_virsh a list --all                   # virsh against node a (from anywhere)
#   libvirt_domain_xml vm1 --serial "$dir/vm1.log" >vm1.xml   # smallest TCG domain on rbd/system_vm1
#   libvirt_kill a                               # SIGKILL libvirtd only (QEMU keeps running)
#   libvirt_stop a                               # bounded: destroys domains, stops libvirtd, kills its QEMUs
#   libvirt_show_logs a vm1                      # the end of libvirtd's log and of vm1's QEMU log
#
# State of node NAME: $LIBVIRT_BASE/NAME/{etc,run,lib,cache,log} bind-mounted on /etc/libvirt,
# /run/libvirt, /var/lib/libvirt, /var/cache/libvirt and /var/log/libvirt, so inside the node
# the daemon is an ordinary qemu:///system daemon and nothing of the host's libvirt is touched.
#   - host mode (LIBVIRT_EXEC empty): the mounts live in a private mount namespace created for
#     the daemon; reach it with libvirt_virsh / libvirt_uri (unix socket), run commands in
#     its namespace with libvirt_exec.
#   - node mode (LIBVIRT_EXEC="in_node NAME", node.bash): the mounts are made in the node's
#     own mount namespace, so anything run with in_node NAME (the agent, plain `virsh`)
#     sees this libvirtd as qemu:///system.
# With ADDR the daemon also listens on tcp://ADDR:16509 with auth none (migration between
# nodes; qemu+tcp://ADDR/system) and QEMU uses ADDR as its incoming migration address.
#
# LIBVIRT_SOCK_GROUP (default root): the group that owns the unix socket (rw for the group).
#
# Ceph secret: when CEPH_LIBVIRT_KEY_FILE is set (ceph_use DIR sets it), libvirt_start
# defines the secret $LIBVIRT_CEPH_SECRET_UUID (same on every node, usage name
# "client.libvirt secret" as SEAPATH's vm_manager looks it up) with that key.
#
# Timing on this machine: libvirt_start 0.3 s (warm capability cache, seeded from
# /var/cache/seapath-agents/libvirt-caps), 1.5 s cold.

# default: per bats file (parallel files never share a node dir), else /tmp/vi-libvirt
LIBVIRT_BASE=${LIBVIRT_BASE:-${BATS_FILE_TMPDIR:+$BATS_FILE_TMPDIR/lv}}
LIBVIRT_BASE=${LIBVIRT_BASE:-/tmp/vi-libvirt}
LIBVIRT_CEPH_SECRET_UUID=${LIBVIRT_CEPH_SECRET_UUID:-5ea9a7f1-c0de-4c3e-8a11-0000000000c1}
LIBVIRT_TCP_PORT=${LIBVIRT_TCP_PORT:-16509}
LIBVIRT_HELPER_WAIT_S=${LIBVIRT_HELPER_WAIT_S:-30}
LIBVIRT_GUEST_DIR=${LIBVIRT_GUEST_DIR:-/var/cache/seapath-agents/guest}
LIBVIRT_CAPS_CACHE=${LIBVIRT_CAPS_CACHE:-/var/cache/seapath-agents/libvirt-caps}

_libvirt_fail() { echo "libvirt helper: $*" >&2; return 1; }

# shellcheck source=proc.bash
source "$(dirname "${BASH_SOURCE[0]}")/proc.bash"

_libvirt_dir() {
  [[ ${1:-} =~ ^[A-Za-z0-9_.-]+$ ]] || { _libvirt_fail "bad node name '${1:-}'"; return 1; }
  echo "$LIBVIRT_BASE/$1"
}

# the libvirtd pid of node NAME, if it is alive and really ours
_libvirt_daemon_pid() {
  local d pid
  d=$(_libvirt_dir "$1") || return 1
  [ -s "$d/run/libvirtd.pid" ] || return 1
  pid=$(<"$d/run/libvirtd.pid")
  [[ $pid =~ ^[0-9]+$ ]] && proc_alive "$pid" || return 1
  [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = /usr/sbin/libvirtd ] || return 1
  # same daemon as the one started here: its mount namespace has our dir on /run/libvirt
  [ "$(stat -L -c %d:%i "/proc/$pid/root/run/libvirt" 2>/dev/null)" = "$(stat -c %d:%i "$d/run")" ] || return 1
  echo "$pid"
}

# QEMU processes of node NAME: pid files libvirt wrote under its /run/libvirt/qemu
_libvirt_qemu_pids() {
  local d f pid
  d=$(_libvirt_dir "$1") || return 1
  for f in "$d"/run/qemu/*.pid; do
    [ -s "$f" ] || continue
    pid=$(<"$f")
    [[ $pid =~ ^[0-9]+$ ]] && proc_alive "$pid" || continue
    case $(readlink "/proc/$pid/exe" 2>/dev/null) in */qemu-system-*) echo "$pid" ;; esac
  done
}

# libvirt_domain_pid NAME VM: pid of the QEMU running domain VM on node NAME
libvirt_domain_pid() {
  local d pid
  d=$(_libvirt_dir "${1:?usage: libvirt_domain_pid NAME VM}") || return 1
  [ -s "$d/run/qemu/${2:?VM}.pid" ] || return 1
  pid=$(<"$d/run/qemu/$2.pid")
  [[ $pid =~ ^[0-9]+$ ]] && proc_alive "$pid" && echo "$pid"
}

# libvirt_uri NAME: URI of node NAME's unix socket, usable from any namespace
libvirt_uri() {
  local d
  d=$(_libvirt_dir "${1:?usage: libvirt_uri NAME}") || return 1
  echo "qemu+unix:///system?socket=$d/run/libvirt-sock"
}

# libvirt_virsh NAME ARGS...: bounded virsh against node NAME
libvirt_virsh() {
  local uri
  uri=$(libvirt_uri "${1:?usage: libvirt_virsh NAME ARGS...}") || return 1
  shift
  timeout --kill-after=5 "${LIBVIRT_VIRSH_TIMEOUT_S:-30}" virsh -q -c "$uri" "$@"
}

# libvirt_exec NAME CMD...: run CMD where node NAME's libvirtd runs (its namespaces)
libvirt_exec() {
  local name=${1:?usage: libvirt_exec NAME CMD...} d exec pid
  shift
  d=$(_libvirt_dir "$name") || return 1
  exec=$(cat "$d/exec" 2>/dev/null)
  if [ -n "$exec" ]; then
    # shellcheck disable=SC2086
    $exec "$@"
  else
    pid=$(_libvirt_daemon_pid "$name") || { _libvirt_fail "libvirtd of $name is not running"; return 1; }
    nsenter -t "$pid" --mount -- "$@"
  fi
}

# The compiled-in qemu user must exist even with user="root" in qemu.conf
# ("Failed to parse user 'libvirt-qemu'"); libvirt-daemon-system is not installed here.
_libvirt_users() {
  getent passwd libvirt-qemu >/dev/null && return 0
  (
    flock -w 10 9 || exit 1
    getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
    getent group kvm >/dev/null || groupadd -r kvm
    getent passwd libvirt-qemu >/dev/null ||
      useradd -r -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
  ) 9>/run/vi-libvirt-users.lock
}

_libvirt_write_config() {
  local name=$1 d=$2 addr=$3 uuid
  # a distinct host UUID per node: without SMBIOS libvirt otherwise refuses to migrate
  # ("Attempt to migrate guest to the same host")
  uuid=$(printf '%s' "$d" | md5sum | sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/\1-\2-\3-\4-\5/')
  {
    echo 'listen_tls = 0'
    if [ -n "$addr" ]; then
      echo 'listen_tcp = 1'
      echo "listen_addr = \"$addr\""
      echo "tcp_port = \"$LIBVIRT_TCP_PORT\""
      echo 'auth_tcp = "none"'
    fi
    echo "unix_sock_group = \"${LIBVIRT_SOCK_GROUP:-root}\""
    echo 'unix_sock_rw_perms = "0770"'
    echo 'auth_unix_rw = "none"'
    echo 'auth_unix_ro = "none"'
    echo "host_uuid = \"$uuid\""
    echo 'log_outputs = "3:file:/var/log/libvirt/libvirtd.log"'
    echo 'keepalive_interval = 5'
    echo 'keepalive_count = 5'
  } >"$d/etc/libvirtd.conf"
  {
    echo 'user = "root"'
    echo 'group = "root"'
    echo 'dynamic_ownership = 0'
    echo 'remember_owner = 0'
    echo 'security_driver = "none"'
    echo 'cgroup_controllers = [ ]'
    echo 'namespaces = [ ]'
    # no virtlogd: QEMU's stdout/stderr go straight to /var/log/libvirt/qemu/<vm>.log
    echo 'stdio_handler = "file"'
    echo "migration_port_min = ${LIBVIRT_MIGRATION_PORT_MIN:-49152}"
    echo "migration_port_max = $(( ${LIBVIRT_MIGRATION_PORT_MIN:-49152} + 63 ))"
    # else the destination advertises its hostname, which resolves to the source's loopback;
    # libvirt refuses loopback values here, pass --migrateuri tcp://127.x.y.z between loopback nodes
    case $addr in '' | 127.* | ::1) ;; *) echo "migration_host = \"$addr\"" ;; esac
  } >"$d/etc/qemu.conf"
  printf 'uri_default = "qemu:///system"\n' >"$d/etc/libvirt.conf"
}

# libvirt_start NAME [ADDR]: start node NAME's libvirtd (restart after libvirt_kill keeps the
# state, so the new daemon reattaches to running QEMUs). Fails if it already runs.
#   env LIBVIRT_EXEC: command prefix of a node (e.g. "in_node a"); empty = host mode
libvirt_start() {
  local name=${1:?usage: libvirt_start NAME [ADDR]} addr=${2:-} d t0 i exec=${LIBVIRT_EXEC:-}
  t0=$(proc_now_ms)
  d=$(_libvirt_dir "$name") || return 1
  if _libvirt_daemon_pid "$name" >/dev/null; then
    _libvirt_fail "libvirtd of $name already runs"; return 1
  fi
  _libvirt_users || { _libvirt_fail "cannot create the libvirt-qemu user"; return 1; }
  mkdir -p "$d"/{etc,run,lib/qemu,lib/images,cache/qemu,log/qemu} && d=$(cd "$d" && pwd) || return 1
  [ "${#d}" -le 80 ] || { _libvirt_fail "state dir $d too long for a unix socket path"; return 1; }
  rm -f "$d/run/libvirtd.pid" "$d/run/libvirt-sock"
  _libvirt_write_config "$name" "$d" "$addr"
  printf '%s\n' "$exec" >"$d/exec"
  printf '%s\n' "$addr" >"$d/addr"
  # a warm QEMU capability cache saves ~1.2 s per start (every node would probe QEMU again)
  if [ -d "$LIBVIRT_CAPS_CACHE" ] && [ -z "$(ls -A "$d/cache/qemu" 2>/dev/null)" ]; then
    cp -a "$LIBVIRT_CAPS_CACHE/." "$d/cache/qemu/" 2>/dev/null || true
  fi

  local mounts="
    for p in /etc/libvirt /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt; do
      mkdir -p \$p
    done
    mountpoint -q /run/libvirt && [ \"\$(stat -c %d:%i /run/libvirt)\" = \"\$(stat -c %d:%i '$d/run')\" ] || {
      mount --bind '$d/etc' /etc/libvirt &&
      mount --bind '$d/run' /run/libvirt &&
      mount --bind '$d/lib' /var/lib/libvirt &&
      mount --bind '$d/cache' /var/cache/libvirt &&
      mount --bind '$d/log' /var/log/libvirt
    } || exit 1"
  local listen=
  [ -n "$addr" ] && listen=--listen
  local daemon="exec setsid tini -s -- /usr/sbin/libvirtd $listen --pid-file /run/libvirt/libvirtd.pid"
  # The shell that waits for libvirtd (in node mode it runs the function $exec names) lives as long as
  # libvirtd: it makes its redirections itself and closes every other fd. (`proc_spawn ... >log &`
  # left it holding bash's saved copies of the caller's stdout: a soak that restarted libvirtd and
  # kept its lab never let the test reading its output see the end of it.)
  if [ -n "$exec" ]; then
    # node mode: the mounts go into the node's mount namespace (it has private propagation)
    # shellcheck disable=SC2086
    $exec /bin/sh -c "$mounts" || { _libvirt_fail "bind mounts in node $name failed"; return 1; }
    # shellcheck disable=SC2086
    (exec </dev/null >"$d/log/libvirtd.stdout" 2>&1 && proc_close_fds && $exec /bin/sh -c "$daemon") &
  else
    # The new mount namespace starts with copies of the host's nsfs mounts (/run/netns/*): they would keep
    # the namespaces of nodes torn down meanwhile (another lane's) alive as long as this libvirtd.
    # shellcheck disable=SC2016 # $t is the inner shell's
    local unpin='findmnt -rn -t nsfs -o TARGET | sort -r | while read -r t; do umount -l "$t" 2>/dev/null || true; done'
    (exec </dev/null >"$d/log/libvirtd.stdout" 2>&1 && proc_close_fds &&
      exec setsid unshare --mount --propagation private -- /bin/sh -c "$unpin; $mounts; $daemon") &
  fi
  disown $! 2>/dev/null

  local pid="" ready="" deadline=$(($(proc_now_ms) + LIBVIRT_HELPER_WAIT_S * 1000))
  while (($(proc_now_ms) < deadline)); do
    if [ -z "$pid" ]; then
      pid=$(_libvirt_daemon_pid "$name") || pid=
    fi
    if [ -n "$pid" ] && [ -S "$d/run/libvirt-sock" ] &&
      timeout --kill-after=2 5 virsh -q -c "$(libvirt_uri "$name")" version >/dev/null 2>&1; then
      ready=1; break
    fi
    if [ -n "$pid" ] && ! proc_alive "$pid"; then
      _libvirt_fail "libvirtd of $name died: $(tail -3 "$d/log/libvirtd.log" 2>/dev/null) $(tail -3 "$d/log/libvirtd.stdout")"
      return 1
    fi
    sleep 0.05
  done
  [ -n "$ready" ] || {
    _libvirt_fail "libvirtd of $name not answering after ${LIBVIRT_HELPER_WAIT_S}s: $(tail -3 "$d/log/libvirtd.stdout")"
    return 1
  }
  if [ -n "$addr" ]; then
    ready="" deadline=$(($(proc_now_ms) + 10000))
    while (($(proc_now_ms) < deadline)); do
      libvirt_exec "$name" timeout --kill-after=2 5 virsh -q -c "qemu+tcp://$addr:$LIBVIRT_TCP_PORT/system" version \
        >/dev/null 2>&1 && { ready=1; break; }
      sleep 0.05
    done
    [ -n "$ready" ] || { _libvirt_fail "libvirtd of $name does not answer on tcp://$addr:$LIBVIRT_TCP_PORT"; return 1; }
  fi
  if [ ! -d "$LIBVIRT_CAPS_CACHE" ] && [ -n "$(ls -A "$d/cache/qemu/capabilities" 2>/dev/null)" ]; then
    mkdir -p "${LIBVIRT_CAPS_CACHE%/*}" &&
      cp -a "$d/cache/qemu" "$LIBVIRT_CAPS_CACHE.tmp.$$" &&
      mv -T "$LIBVIRT_CAPS_CACHE.tmp.$$" "$LIBVIRT_CAPS_CACHE" 2>/dev/null ||
      rm -rf "$LIBVIRT_CAPS_CACHE.tmp.$$"
  fi
  if [ -n "${CEPH_LIBVIRT_KEY_FILE:-}" ]; then
    libvirt_define_ceph_secret "$name" "$CEPH_LIBVIRT_KEY_FILE" || return 1
  fi
  echo "libvirt_start: $name ready in $(($(proc_now_ms) - t0)) ms" >"$d/log/start-time"
  [ -n "${LIBVIRT_HELPER_QUIET:-}" ] || cat "$d/log/start-time" >&2
}

# libvirt_define_ceph_secret NAME KEY_FILE [UUID]: the libvirt secret holding a Ceph client
# key (KEY_FILE: the base64 key, as `ceph auth get-key` prints it; never passed in argv)
libvirt_define_ceph_secret() {
  local name=${1:?usage: libvirt_define_ceph_secret NAME KEY_FILE [UUID]} key=${2:?KEY_FILE}
  local uuid=${3:-$LIBVIRT_CEPH_SECRET_UUID} d
  d=$(_libvirt_dir "$name") || return 1
  cat >"$d/secret-$uuid.xml" <<EOF
<secret ephemeral='no' private='yes'>
  <uuid>$uuid</uuid>
  <usage type='ceph'><name>client.libvirt secret</name></usage>
</secret>
EOF
  libvirt_virsh "$name" secret-define "$d/secret-$uuid.xml" >/dev/null &&
    libvirt_virsh "$name" secret-set-value --secret "$uuid" --file "$key" >/dev/null ||
    { _libvirt_fail "cannot define the Ceph secret on $name"; return 1; }
}

# Ends libvirtd PID with SIG, then SIGKILL after TENTHS x 0.1 s, and its tini: tini exits with its
# child; it is ours only if it runs tini (never signal anything else). rc 1 if PID survived.
_libvirt_end_daemon() {
  local pid=$1 sig=$2 tenths=$3 tini
  tini=$(proc_ppid "$pid")
  kill "-$sig" "$pid"
  if ! proc_wait_gone "$tenths" "$pid" >/dev/null && [ "$sig" != KILL ]; then
    kill -KILL "$pid"
    proc_wait_gone 20 "$pid" >/dev/null
  fi
  if [ -n "$tini" ] && [ "$(readlink "/proc/$tini/exe" 2>/dev/null)" = /usr/bin/tini ]; then
    kill -KILL "$tini" 2>/dev/null
  fi
  ! proc_alive "$pid"
}

# libvirt_kill NAME: SIGKILL node NAME's libvirtd (and its tini), as if it crashed.
# Its QEMUs keep running; libvirt_start NAME again reattaches to them.
libvirt_kill() {
  local name=${1:?usage: libvirt_kill NAME} pid
  pid=$(_libvirt_daemon_pid "$name") || return 0
  _libvirt_end_daemon "$pid" KILL 50 || { _libvirt_fail "libvirtd $pid of $name survived SIGKILL"; return 1; }
}

# libvirt_stop NAME: destroy the running domains, stop libvirtd (TERM, KILL after 5 s), kill
# any QEMU of this node still alive, remove the node-mode bind mounts. Bounded (~15 s worst);
# returns 0 when nothing of the node is left running, also when nothing was running.
libvirt_stop() {
  local name=${1:?usage: libvirt_stop NAME} d pid dom qpids left=
  d=$(_libvirt_dir "$name") || return 1
  [ -d "$d" ] || return 0
  if pid=$(_libvirt_daemon_pid "$name"); then
    for dom in $(LIBVIRT_VIRSH_TIMEOUT_S=5 libvirt_virsh "$name" list --name 2>/dev/null); do
      LIBVIRT_VIRSH_TIMEOUT_S=10 libvirt_virsh "$name" destroy "$dom" >/dev/null 2>&1
    done
    _libvirt_end_daemon "$pid" TERM 50 || true
  fi
  qpids=$(_libvirt_qemu_pids "$name")
  if [ -n "$qpids" ]; then
    # shellcheck disable=SC2086 # one pid a word
    kill -KILL $qpids 2>/dev/null
    # shellcheck disable=SC2086
    left=$(proc_wait_gone 50 $qpids)
  fi
  rm -f "$d"/run/qemu/*.pid
  local exec
  exec=$(cat "$d/exec" 2>/dev/null)
  if [ -n "$exec" ]; then
    # shellcheck disable=SC2086
    $exec /bin/sh -c "for p in /var/log/libvirt /var/cache/libvirt /var/lib/libvirt /run/libvirt /etc/libvirt; do
        umount \$p 2>/dev/null; done" 2>/dev/null || true
  fi
  [ -z "$left" ] || { _libvirt_fail "QEMU $left of $name still alive after SIGKILL"; return 1; }
  ! _libvirt_daemon_pid "$name" >/dev/null || { _libvirt_fail "libvirtd of $name still alive"; return 1; }
}

# libvirt_domain_xml VM [options]: print the smallest TCG domain whose disk is the RBD image
# POOL/system_VM, in the shape SEAPATH's vm_manager generates.
#   --guest linux|noos   linux (default): the busybox guest of lab/guest/build.sh, direct
#                        kernel boot, honours ACPI power-off, heartbeat on the serial port;
#                        noos: no kernel, sits in SeaBIOS (cheapest; ignores virsh shutdown)
#   --memory MIB         default 96 (linux) / 64 (noos)
#   --serial FILE        serial console appended to FILE (default: a pty); FILE must be
#                        visible at the same path on every node the domain runs on
#   --mon ADDR[:PORT]    Ceph mon (default $CEPH_MON_HOST:6789)
#   --pool POOL          default rbd
#   --secret UUID        default $LIBVIRT_CEPH_SECRET_UUID
#   --uuid UUID          domain UUID (default: derived from VM, stable)
libvirt_domain_xml() {
  local vm=${1:?usage: libvirt_domain_xml VM [options]} guest=linux mem="" serial="" mon=${CEPH_MON_HOST:-}
  local pool=rbd secret=$LIBVIRT_CEPH_SECRET_UUID uuid="" port=6789
  shift
  while (($#)); do
    case $1 in
      --guest) guest=$2 ;;
      --memory) mem=$2 ;;
      --serial) serial=$2 ;;
      --mon) mon=$2 ;;
      --pool) pool=$2 ;;
      --secret) secret=$2 ;;
      --uuid) uuid=$2 ;;
      *) _libvirt_fail "libvirt_domain_xml: unknown option $1"; return 1 ;;
    esac
    shift 2 || { _libvirt_fail "libvirt_domain_xml: $1 needs a value"; return 1; }
  done
  [ -n "$mon" ] || { _libvirt_fail "libvirt_domain_xml: no Ceph mon (--mon or ceph_use DIR)"; return 1; }
  case $mon in *:*) port=${mon##*:}; mon=${mon%:*} ;; esac
  [ -n "$uuid" ] || uuid=$(printf 'vi-domain-%s' "$vm" | md5sum |
    sed -E 's/^(.{8})(.{4}).(.{3}).(.{3})(.{12}).*/\1-\2-4\3-8\4-\5/')
  local os console
  case $guest in
    linux)
      [ -f "$LIBVIRT_GUEST_DIR/vmlinuz" ] ||
        { _libvirt_fail "no guest kernel in $LIBVIRT_GUEST_DIR: run lab/guest/build.sh"; return 1; }
      mem=${mem:-96}
      os="<kernel>$LIBVIRT_GUEST_DIR/vmlinuz</kernel>
    <initrd>$LIBVIRT_GUEST_DIR/initrd.img</initrd>
    <cmdline>console=ttyS0 quiet panic=-1 rdinit=/init</cmdline>" ;;
    noos)
      mem=${mem:-64}
      os="<boot dev='hd'/>" ;;
    *) _libvirt_fail "libvirt_domain_xml: --guest linux|noos"; return 1 ;;
  esac
  if [ -n "$serial" ]; then
    console="<serial type='file'><source path='$serial' append='on'/><target port='0'/></serial>"
  else
    console="<serial type='pty'><target port='0'/></serial>"
  fi
  cat <<EOF
<domain type='qemu'>
  <name>$vm</name>
  <uuid>$uuid</uuid>
  <memory unit='MiB'>$mem</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    $os
  </os>
  <features>
    <acpi/>
    <tcg><tb-cache unit='MiB'>${LIBVIRT_TB_CACHE_MIB:-32}</tb-cache></tcg>
  </features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='network' device='disk'>
      <driver name='qemu' type='raw' cache='writeback'/>
      <auth username='libvirt'><secret type='ceph' uuid='$secret'/></auth>
      <source protocol='rbd' name='$pool/system_$vm'><host name='$mon' port='$port'/></source>
      <target dev='vda' bus='virtio'/>
    </disk>
    $console
    <memballoon model='none'/>
  </devices>
</domain>
EOF
}

# libvirt_wait_domstate NAME VM STATE [TIMEOUT_S]: wait until `virsh domstate VM` on node
# NAME prints STATE ("running", "shut off", ...; "absent" = the domain does not exist)
libvirt_wait_domstate() {
  local name=${1:?usage: libvirt_wait_domstate NAME VM STATE [TIMEOUT_S]} vm=${2:?VM} want=${3:?STATE}
  local t=${4:-30} i st=
  for ((i = 0; i < t * 10; i++)); do
    st=$(LIBVIRT_VIRSH_TIMEOUT_S=5 libvirt_virsh "$name" domstate "$vm" 2>/dev/null) || st=absent
    [ "$st" = "$want" ] && return 0
    sleep 0.1
  done
  _libvirt_fail "domain $vm on $name is '$st', not '$want', after ${t}s"
}

# libvirt_show_logs NAME [VM...]: the end of node NAME's libvirtd log and of each VM's QEMU log,
# for a failed test to show what libvirt and QEMU said
libvirt_show_logs() {
  local name=${1:?usage: libvirt_show_logs NAME [VM...]} d f
  d=$(_libvirt_dir "$name") || return 1
  shift
  for f in "$d/log/libvirtd.log" "${@/#/$d/log/qemu/}"; do
    f=${f%.log}.log
    echo "--- $name: ${f#"$d"/} (last 15 lines)"
    tail -n 15 "$f" 2>&1
  done
}

# libvirt_guest_heartbeat LOG: the last heartbeat of the linux guest in serial log LOG,
# as "BOOT_ID UPTIME COUNT" (fails when there is none yet)
libvirt_guest_heartbeat() {
  local log=${1:?usage: libvirt_guest_heartbeat SERIAL_LOG} line
  line=$(grep -a 'vi-guest: alive ' "$log" 2>/dev/null | tail -1)
  [[ $line =~ boot=([0-9a-f-]+)\ up=([0-9.]+)\ n=([0-9]+) ]] || return 1
  echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[3]}"
}

# libvirt_wait_guest_up LOG [TIMEOUT_S]: wait until the guest wrote its disk and beats
# (it then holds the RBD exclusive lock and honours ACPI power-off). TCG boot: 3-9 s.
libvirt_wait_guest_up() {
  local log=${1:?usage: libvirt_wait_guest_up SERIAL_LOG [TIMEOUT_S]} t=${2:-60} i
  for ((i = 0; i < t * 5; i++)); do
    grep -aq 'vi-guest: wrote /dev/vda' "$log" 2>/dev/null && libvirt_guest_heartbeat "$log" >/dev/null && return 0
    sleep 0.2
  done
  _libvirt_fail "guest of $log not up after ${t}s; last lines: $(tail -3 "$log" 2>/dev/null | tr '\n' '|')"
}

# libvirt_wait_guest_beats_after LOG BOOT_ID COUNT [TIMEOUT_S]: wait for a heartbeat of the
# same boot (no reboot) with a counter above COUNT: the guest kept running
libvirt_wait_guest_beats_after() {
  local log=${1:?usage: libvirt_wait_guest_beats_after LOG BOOT_ID COUNT [TIMEOUT_S]} boot=${2:?BOOT_ID}
  local count=${3:?COUNT} t=${4:-20} i hb
  for ((i = 0; i < t * 5; i++)); do
    if hb=$(libvirt_guest_heartbeat "$log"); then
      # shellcheck disable=SC2086 # BOOT_ID UPTIME COUNT, one word each
      set -- $hb
      [ "$1" = "$boot" ] || { _libvirt_fail "guest rebooted: boot id $1, was $boot"; return 1; }
      (($3 > count)) && return 0
    fi
    sleep 0.2
  done
  _libvirt_fail "no heartbeat after n=$count within ${t}s (last: ${hb:-none})"
}
