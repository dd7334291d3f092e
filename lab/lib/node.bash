# SPDX-License-Identifier: Apache-2.0
# shellcheck disable=SC2015 # `A && B || C` here means: C when A or B fails
# shellcheck source-path=SCRIPTDIR
# shellcheck shell=bash
#
# Test "nodes": private network + mount + UTS namespaces on this machine, wired to
# private L2 segments (a bridge in its own network namespace). Nothing of the host
# is touched: no host interface, no host path under /run, /etc/corosync,
# /var/lib/pacemaker ... (each node gets private copies).
#
#   load ../../lab/lib/node    # at the top level of the .bats file: bats sources it again for
#                        # setup_file and for every test; node_setup exports the state
#                        # (NODE_PREFIX NODE_RUN NODE_DIR NODE_OWNER_PID), files keep the rest.
#
#   node_setup PREFIX
#       Call once per file (setup_file) or per test (setup), before anything else.
#       PREFIX is your assigned netns prefix (vip, pg, vm, fo, vi, hx). Every name
#       this library creates starts with "PREFIX-RUNID-" (RUNID: 4 hex chars, one per
#       scratch dir), so files and helpers running in parallel never collide.
#       Scratch dir: ${BATS_FILE_TMPDIR:-/tmp}/node-PREFIX (or $NODE_SCRATCH_ROOT/...),
#       exported as NODE_DIR. Also removes namespaces "PREFIX-XXXX-*" that no process
#       is in any more (left by a killed run). The nodes' private directories are bind
#       mounts of NODE_DIR/n/NAME/fs/...: never delete a scratch dir (yours or another
#       run's /tmp/bats-run-*) while its nodes live; node_teardown first.
#   node_create NAME [ADDR/PLEN...]
#       New node NAME (hostname NAME, lo up, private /run /dev/shm /etc/corosync
#       /var/lib/{pacemaker,corosync,heartbeat} /var/log/{pacemaker,corosync}, /sys
#       remounted so /sys/class/net shows the node's interfaces). With addresses
#       (IPv4 "192.0.2.11/24" or IPv6 "2001:db8::11/64", TEST-NET only), eth0 is
#       created on segment "lan" (made on demand) and gets them (IPv6 without DAD).
#       NAME: [a-z0-9_] and "-", at most 20 characters (cluster.bash uses it as the
#       cluster node name).
#       NODE_HOST_RUN_PATHS="/run/libvirt ..." (env) keeps those host paths visible
#       under the node's private /run (e.g. a shared libvirtd socket).
#   node_peer NAME PEER [ADDR/PLEN...]
#       New node PEER with eth0 on the same segment as NAME's eth0 (an L2 neighbour).
#   segment_create SEG                       a new empty L2 segment (bridge)
#   node_attach NAME SEG IFNAME [ADDR/PLEN...]
#       veth IFNAME in node NAME, plugged into segment SEG, up, with the addresses.
#   in_node NAME CMD...
#       Run CMD inside the node (nsenter net+mnt+uts). stdin, stdout, stderr, exit
#       code, environment and working directory are passed through. A command put in
#       the background with & inside a bats test must close fd 3 (`3>&-`), or use node_spawn;
#       a shell (a loop) left in the background keeps bats' other pipes too: close every fd
#       (proc_close_fds) and kill it in teardown.
#   node_spawn NAME LOGFILE CMD...
#       Start CMD in the background inside the node (stdin /dev/null, output appended
#       to LOGFILE, bats' fd 3 closed so bats does not wait for it); prints its pid.
#       node_kill_all/node_destroy end it. E.g. a capture on a peer:
#         pid=$(node_spawn p1 "$BATS_TEST_TMPDIR/arp.txt" tcpdump -l -n -i eth0 arp)
#   node_netns NAME        prints the node's named netns (usable with `ip -n`, `ip netns exec`)
#   node_pid NAME          prints the pid of the node's holder process
#   node_dir NAME          prints the node's scratch dir (logs, private files)
#   node_pids NAME         prints the pids of every process in the node but the holder
#   node_kill_all NAME     SIGKILL every process in the node but the holder ("power cut"
#                          that keeps the node's namespaces, interfaces and files)
#   node_destroy NAME      kill everything in the node, remove its namespaces and veths.
#                          Idempotent; safe in teardown after a failure.
#   segment_destroy SEG
#   node_teardown          destroy every node and segment of this scratch dir (teardown_file)
#   node_leftovers         prints what this run left (namespaces, processes); rc 1 if any
#   wait_until TIMEOUT_S WHAT CMD...   (proc.bash, sourced here)
#
# Every node, segment and peer has a holder process (setsid, in the namespaces) that
# also works as a dead man's switch: when the bats run (BATS_ROOT_PID, or
# NODE_OWNER_PID) is gone, it kills everything in its namespace and exits, so an
# interrupted run leaves no daemons behind.
# Processes are found by namespace membership, never by name. The kernel recycles
# namespace ids at once, so an id is trusted only while the named netns that pins it
# (/run/netns/PREFIX-XXXX-NAME) exists and is still that namespace.
# All functions are `set -eu` safe (bats runs tests with set -e) and every wait is bounded.
#
# Example (bats):
#   load ../../lab/lib/node
#   setup_file() { node_setup vip; node_create n1 192.0.2.11/24; node_peer n1 p1 192.0.2.99/24; }
#   teardown_file() { node_teardown; }
#   @test "peer reaches the node" { run in_node p1 ping -c1 -W1 192.0.2.11; [ "$status" -eq 0 ]; }

_NODE_PATH=/usr/sbin:/usr/bin:/sbin:/bin

_node_die() { printf 'node.bash: %s\n' "$*" >&2; return 1; }

# shellcheck source=proc.bash
source "$(dirname "${BASH_SOURCE[0]}")/proc.bash"

node_setup() {
  local prefix=${1:?usage: node_setup PREFIX}
  [[ $prefix =~ ^[a-z][a-z0-9]{0,5}$ ]] || _node_die "bad prefix '$prefix' (1-6 chars [a-z0-9])" || return
  local root=${NODE_SCRATCH_ROOT:-${BATS_FILE_TMPDIR:-/tmp}}
  export NODE_PREFIX=$prefix
  export NODE_DIR=$root/node-$prefix
  mkdir -p "$NODE_DIR/n" "$NODE_DIR/s" || return
  if [[ ! -s $NODE_DIR/run-id ]]; then
    printf '%04x\n' $(( (RANDOM << 1 ^ $$ ^ $(date +%N | sed 's/^0*//;s/^$/0/')) & 0xffff )) >"$NODE_DIR/run-id"
  fi
  NODE_RUN=$(<"$NODE_DIR/run-id")
  export NODE_RUN
  export NODE_OWNER_PID=${NODE_OWNER_PID:-${BATS_ROOT_PID:-$$}}
  _node_sweep_orphans
}

_node_require_setup() {
  [[ -n ${NODE_DIR:-} && -n ${NODE_RUN:-} ]] || _node_die "call node_setup PREFIX first"
}

_node_check_name() {
  [[ $1 =~ ^[a-z0-9_][a-z0-9_-]{0,19}$ ]] || _node_die "bad name '$1' ([a-z0-9_-], at most 20 chars)"
}

node_dir() { _node_require_setup && printf '%s\n' "$NODE_DIR/n/$1"; }
node_netns() { _node_require_setup && printf '%s\n' "$NODE_PREFIX-$NODE_RUN-$1"; }
_segment_netns() { printf '%s\n' "$NODE_PREFIX-$NODE_RUN-s-$1"; }

node_pid() {
  _node_require_setup || return
  local d=$NODE_DIR/n/${1:?usage: node_pid NAME} pid
  [[ -d $d ]] || _node_die "no node '$1'" || return
  pid=$(_node_holder "$d") || _node_die "node '$1' is gone (destroyed, or its holder died)" || return
  printf '%s\n' "$pid"
}

# Namespace ids are recycled by the kernel as soon as a namespace dies, so a recorded
# id is trusted only while our named netns (/run/netns/NAME, which pins the network
# namespace) still exists and still is that namespace. Prints the id.
_node_pinned_net() {
  local d=$1 name net ino
  [[ -s $d/netns && -s $d/ns.net ]] || return 1
  name=$(<"$d/netns")
  net=$(<"$d/ns.net")
  ino=$(stat -L -c %i "/run/netns/$name" 2>/dev/null) || return 1
  [[ $net == "net:[$ino]" ]] || return 1
  printf '%s\n' "$net"
}

# Prints the holder's pid if it is alive and still in the pinned namespace.
_node_holder() {
  local d=$1 net pid
  net=$(_node_pinned_net "$d") || return 1
  [[ -s $d/holder.pid ]] || return 1
  pid=$(<"$d/holder.pid")
  proc_alive "$pid" || return 1
  [[ $(readlink "/proc/$pid/ns/net" 2>/dev/null) == "$net" ]] || return 1
  printf '%s\n' "$pid"
}

# The holder: enters new namespaces, writes its pid once they are fully set up
# (propagation private included), then waits for the owner to go away (dead man's
# switch: then it kills everything in its network namespace). The network namespace
# is pinned at once under /run/netns/NETNS_NAME.
_node_spawn_holder() {
  local dir=$1 nsname=$2 pidfile=$1/holder.pid
  shift 2
  rm -f "$pidfile" "$dir/ns.net" "$dir/ns.mnt" "$dir/netns"
  # The holder outlives this shell: it must keep none of bats' pipes open (bats waits for
  # their EOF), so every inherited descriptor above 2 is closed before it starts.
  # shellcheck disable=SC2016 # the holder's script: its variables are its own
  (proc_close_fds; exec setsid unshare "$@" -- /bin/sh -c '
    pidfile=$1 owner=$2
    me=$(readlink /proc/self/ns/net)
    echo $$ >"$pidfile.tmp" && mv "$pidfile.tmp" "$pidfile"
    while [ -e "/proc/$owner" ]; do sleep 2; done
    for p in /proc/[0-9]*; do
      [ "${p#/proc/}" = $$ ] && continue
      [ "$(readlink "$p/ns/net" 2>/dev/null)" = "$me" ] && kill -9 "${p#/proc/}" 2>/dev/null
    done
    exit 0' holder "$pidfile" "$NODE_OWNER_PID" </dev/null >/dev/null 2>&1) &
  local launcher=$!
  disown "$launcher" 2>/dev/null || true
  if ! WAIT_INTERVAL=0.02 wait_until 5 "namespace holder ($pidfile)" test -s "$pidfile"; then
    kill -9 "$launcher" 2>/dev/null || true
    return 1
  fi
  local pid net mnt
  pid=$(<"$pidfile")
  net=$(readlink "/proc/$pid/ns/net") && mnt=$(readlink "/proc/$pid/ns/mnt") ||
    _node_die "holder $pid vanished" || return
  [[ $net != "$(_node_host_net)" ]] || _node_die "holder $pid is in the host netns" || return
  if ! ip netns attach "$nsname" "$pid"; then
    kill -9 "$pid" 2>/dev/null || true
    _node_die "ip netns attach $nsname failed (name taken?)"
    return 1
  fi
  printf '%s\n' "$nsname" >"$dir/netns"
  printf '%s\n' "$net" >"$dir/ns.net"
  if [[ $mnt != "$(readlink /proc/self/ns/mnt)" ]]; then printf '%s\n' "$mnt" >"$dir/ns.mnt"; fi
  _node_pinned_net "$dir" >/dev/null || _node_die "netns $nsname is not the holder's" || return
}

_node_host_net() { readlink /proc/self/ns/net; }

segment_create() {
  _node_require_setup || return
  local seg=${1:?usage: segment_create SEG} d
  _node_check_name "$seg" || return
  d=$NODE_DIR/s/$seg
  _node_holder "$d" >/dev/null && return 0
  mkdir -p "$d" || return
  local ns
  ns=$(_segment_netns "$seg")
  _node_spawn_holder "$d" "$ns" --net || return
  ip -n "$ns" link set lo up &&
    ip -n "$ns" link add br0 type bridge mcast_snooping 0 &&
    ip -n "$ns" link set br0 up &&
    echo 0 >"$d/ports" ||
    _node_die "segment $seg: bridge setup failed"
}

segment_destroy() {
  _node_require_setup || return
  local seg=${1:?usage: segment_destroy SEG}
  _node_destroy_ns "$NODE_DIR/s/$seg" "$(_segment_netns "$seg")" "$NODE_DIR/s/$seg/ports"
}

# Kills everything in the namespaces of scratch dir $1, then deletes the named netns $2 (kept when
# something survived: the name pins what is left) and removes the files $3...
_node_destroy_ns() {
  local d=$1 netns=$2
  shift 2
  [[ -d $d ]] || return 0
  _node_kill_ns "$d" || return 1
  ip netns del "$netns" 2>/dev/null || true
  rm -f "$d/holder.pid" "$@"
}

# Private directories of a node: mount point -> owner:group mode (bind-mounted from
# the node's scratch dir, so logs and the CIB stay readable from the host).
_NODE_BIND_DIRS=(
  "/etc/corosync root:root 0755"
  "/var/lib/corosync root:root 0755"
  "/var/log/corosync root:root 0755"
  "/var/lib/pacemaker root:root 0755"
  "/var/lib/pacemaker/cib hacluster:haclient 0750"
  "/var/lib/pacemaker/pengine hacluster:haclient 0750"
  "/var/lib/pacemaker/blackbox hacluster:haclient 0750"
  "/var/lib/pacemaker/cores hacluster:haclient 0750"
  "/var/log/pacemaker hacluster:haclient 0770"
  "/var/log/pacemaker/bundles hacluster:haclient 0770"
  "/var/lib/heartbeat root:root 0755"
)

_node_prepare_fs() {
  local d=$1 spec path owner mode
  for spec in "${_NODE_BIND_DIRS[@]}"; do
    read -r path owner mode <<<"$spec"
    install -d -o "${owner%%:*}" -g "${owner##*:}" -m "$mode" "$d/fs$path" || return
  done
}

# Runs inside the node (bash, new mount namespace with private propagation).
# $1 node scratch dir, $2 hostname, $3.. host /run paths to keep.
# shellcheck disable=SC2016
_NODE_INIT_SCRIPT='
set -eu
d=$1 name=$2
shift 2
hostname "$name"
ip link set lo up
# nsfs mounts copied from the host would keep other runs namespaces alive.
findmnt -rn -t nsfs -o TARGET | sort -r | while read -r t; do umount -l "$t" 2>/dev/null || true; done
stage=$d/stage
mkdir -p "$stage"
i=0
for p in "$@"; do
  if [ -e "$p" ]; then mkdir -p "$stage/$i"; mount --rbind "$p" "$stage/$i"; fi
  i=$((i + 1))
done
if [ -d /sys/fs/cgroup ]; then mkdir -p "$stage/cgroup"; mount --rbind /sys/fs/cgroup "$stage/cgroup"; fi
mount -t sysfs sysfs /sys
if [ -d "$stage/cgroup" ]; then mount --move "$stage/cgroup" /sys/fs/cgroup; fi
mount -t tmpfs -o mode=0755,size=256m tmpfs /run
mkdir -p /run/lock /run/resource-agents /run/corosync /run/crm
chmod 1777 /run/lock
chmod 1755 /run/resource-agents
chown hacluster:haclient /run/crm
chmod 0750 /run/crm
i=0
for p in "$@"; do
  if [ -d "$stage/$i" ]; then mkdir -p "$p"; mount --move "$stage/$i" "$p"; fi
  i=$((i + 1))
done
rm -rf "$stage"
mount -t tmpfs -o mode=1777,size=256m tmpfs /dev/shm
while read -r path; do
  mount --bind "$d/fs$path" "$path"
done
'

node_create() {
  _node_require_setup || return
  local name=${1:?usage: node_create NAME [ADDR/PLEN...]} d ns pid addr
  shift
  _node_check_name "$name" || return
  for addr in "$@"; do _node_check_addr "$addr" || return; done
  d=$NODE_DIR/n/$name
  if _node_holder "$d" >/dev/null; then
    _node_die "node '$name' exists already"
    return
  fi
  mkdir -p "$d" && _node_prepare_fs "$d" || return
  ns=$(node_netns "$name")
  _node_spawn_holder "$d" "$ns" --net --mount --uts --propagation private || return
  pid=$(<"$d/holder.pid")
  local spec paths=()
  for spec in "${_NODE_BIND_DIRS[@]}"; do paths+=("${spec%% *}"); done
  # shellcheck disable=SC2086
  if ! printf '%s\n' "${paths[@]}" |
    nsenter -t "$pid" --net --mount --uts -- /bin/bash -c "$_NODE_INIT_SCRIPT" init "$d" "$name" \
      ${NODE_HOST_RUN_PATHS:-} >"$d/init.log" 2>&1; then
    _node_die "node '$name': namespace init failed: $(tail -n 5 "$d/init.log")"
    node_destroy "$name"
    return 1
  fi
  if (($#)); then
    segment_create lan && node_attach "$name" lan eth0 "$@" || { node_destroy "$name"; return 1; }
  fi
}

node_peer() {
  _node_require_setup || return
  local name=${1:?usage: node_peer NAME PEER [ADDR/PLEN...]} peer=${2:?usage: node_peer NAME PEER [ADDR/PLEN...]} seg addr
  shift 2
  for addr in "$@"; do _node_check_addr "$addr" || return; done
  [[ -s $NODE_DIR/n/$name/eth0.segment ]] || _node_die "node '$name' has no eth0 on a segment" || return
  seg=$(<"$NODE_DIR/n/$name/eth0.segment")
  node_create "$peer" || return
  node_attach "$peer" "$seg" eth0 "$@" || { node_destroy "$peer"; return 1; }
}

node_attach() {
  _node_require_setup || return
  local name=${1:?usage: node_attach NAME SEG IFNAME [ADDR/PLEN...]} seg=${2:?usage: node_attach NAME SEG IFNAME [ADDR/PLEN...]}
  local ifname=${3:?usage: node_attach NAME SEG IFNAME [ADDR/PLEN...]} sd nns sns n port addr
  shift 3
  node_pid "$name" >/dev/null || return
  sd=$NODE_DIR/s/$seg
  [[ -s $sd/ports ]] || _node_die "no segment '$seg' (segment_create it)" || return
  nns=$(node_netns "$name")
  sns=$(_segment_netns "$seg")
  # Port names come from a per-segment counter; the lock serialises parallel attaches.
  local lock
  exec {lock}>>"$sd/ports.lock"
  flock -w 10 "$lock" || { exec {lock}>&-; _node_die "segment $seg: lock busy"; return 1; }
  n=$(( $(<"$sd/ports") + 1 ))
  echo "$n" >"$sd/ports"
  exec {lock}>&-
  port=p$n
  # Both ends are created directly inside their namespaces: no host interface ever.
  ip link add "$ifname" netns "$nns" type veth peer name "$port" netns "$sns" ||
    _node_die "veth $ifname@$name <-> $port@segment $seg failed" || return
  ip -n "$sns" link set "$port" master br0 && ip -n "$sns" link set "$port" up || return
  for addr in "$@"; do
    _node_check_addr "$addr" || return
    if [[ $addr == *:* ]]; then
      ip -n "$nns" -6 addr add "$addr" dev "$ifname" nodad || return
    else
      ip -n "$nns" addr add "$addr" dev "$ifname" || return
    fi
  done
  ip -n "$nns" link set "$ifname" up || return
  printf '%s\n' "$seg" >"$NODE_DIR/n/$name/$ifname.segment"
}

_node_check_addr() {
  case $1 in
    192.0.2.*/* | 198.51.100.*/* | 203.0.113.*/* | 2001:db8:*/* | 2001:DB8:*/*) return 0 ;;
  esac
  _node_die "address '$1' is not a TEST-NET address with a prefix length (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32)"
}

in_node() {
  local name=${1:?usage: in_node NAME CMD...} pid
  shift
  pid=$(node_pid "$name") || return
  local wd=/
  [[ -d $PWD ]] && wd=$PWD
  nsenter -t "$pid" --net --mount --uts --wd="$wd" -- "$@"
}

node_spawn() {
  local usage="usage: node_spawn NAME LOGFILE CMD..."
  local name=${1:?$usage} log=${2:?$usage} pid
  shift 2
  (($#)) || _node_die "$usage" || return
  pid=$(node_pid "$name") || return
  # nsenter itself, at once (not a shell closing fds first): callers freeze, kill and look up this pid
  nsenter -t "$pid" --net --mount --uts --wd=/ -- "$@" </dev/null >>"$log" 2>&1 3>&- &
  pid=$!
  disown "$pid" 2>/dev/null || true
  printf '%s\n' "$pid"
}

# Pids (one a line) of the processes in the node's (pinned) network namespace, or in
# its mount namespace while the holder, which pins that one, is alive. Without
# $2 = include-holder, the holder and its own children (its sleep) are left out.
_node_ns_pids() {
  local d=$1 with_holder=${2:-} net mnt=none holder pid ppid
  net=$(_node_pinned_net "$d") || return 0
  [[ $net == "$(_node_host_net)" ]] && return 0 # never the host's namespace
  if holder=$(_node_holder "$d"); then
    if [[ -s $d/ns.mnt && $(readlink "/proc/$holder/ns/mnt" 2>/dev/null) == "$(<"$d/ns.mnt")" ]]; then
      mnt=$(<"$d/ns.mnt")
    fi
  else
    holder=none
  fi
  [[ $with_holder == include-holder ]] && holder=none
  # One find for all of /proc: readlink per process would fork hundreds of times.
  find /proc/[0-9]*/ns/ -maxdepth 1 \( -name net -o -name mnt \) -printf '%h %l\n' 2>/dev/null |
    awk -v net="$net" -v mnt="$mnt" '$2 == net || $2 == mnt { split($1, a, "/"); print a[3] }' |
    sort -un |
    while read -r pid; do
      [[ $pid == "$holder" ]] && continue
      if [[ $holder != none ]]; then
        ppid=$(proc_ppid "$pid") || continue
        [[ $ppid == "$holder" ]] && continue
      fi
      printf '%s\n' "$pid"
    done
  return 0
}

node_pids() {
  node_pid "${1:?usage: node_pids NAME}" >/dev/null || return
  _node_ns_pids "$NODE_DIR/n/$1"
}

# SIGKILL every process of the namespaces, bounded, repeatedly (some may fork
# meanwhile): first all but the holder (it pins the mount namespace), then, unless
# $2 = keep-holder, the holder and the rest.
_node_kill_ns() {
  local d=$1 keep=${2:-} pids i phase
  for phase in others holder; do
    [[ $phase == holder && $keep == keep-holder ]] && break
    for ((i = 0; ; i++)); do
      if [[ $phase == others ]]; then pids=$(_node_ns_pids "$d"); else pids=$(_node_ns_pids "$d" include-holder); fi
      [[ -z $pids ]] && break
      if ((i >= 50)); then
        _node_die "processes still alive in the namespaces of $d: $(tr '\n' ' ' <<<"$pids")"
        return 1
      fi
      # shellcheck disable=SC2086
      kill -9 $pids 2>/dev/null || true
      # A power cut ends a process stuck in D state too: a frozen cgroup keeps it from dying.
      # shellcheck disable=SC2086
      ((i == 0)) || proc_thaw_groups_of $pids
      sleep 0.1
    done
  done
}

node_kill_all() {
  node_pid "${1:?usage: node_kill_all NAME}" >/dev/null || return
  _node_kill_ns "$NODE_DIR/n/$1" keep-holder
}

node_destroy() {
  _node_require_setup || return
  local name=${1:?usage: node_destroy NAME}
  # The veths die with the node's netns (either end takes its peer along).
  _node_destroy_ns "$NODE_DIR/n/$name" "$(node_netns "$name")" "$NODE_DIR/n/$name"/*.segment
}

node_teardown() {
  [[ -n ${NODE_DIR:-} && -d ${NODE_DIR:-/nonexistent} ]] || return 0
  local d rc=0
  for d in "$NODE_DIR"/n/*/; do
    [[ -d $d ]] || continue
    node_destroy "$(basename "$d")" || rc=1
  done
  for d in "$NODE_DIR"/s/*/; do
    [[ -d $d ]] || continue
    segment_destroy "$(basename "$d")" || rc=1
  done
  _node_sweep_orphans
  return "$rc"
}

# Named namespaces of this library's shape ("PREFIX-XXXX-...") that no process is in
# any more (left by a run that was killed, after its holders fired).
_node_sweep_orphans() {
  local ns name ino held
  [[ -d /run/netns ]] || return 0
  held=$(find /proc/[0-9]*/ns/ -maxdepth 1 -name net -printf '%l\n' 2>/dev/null | sort -u)
  for ns in /run/netns/"$NODE_PREFIX"-*; do
    name=${ns#/run/netns/}
    [[ $name =~ ^$NODE_PREFIX-[0-9a-f]{4}- ]] || continue
    ino=$(stat -L -c %i "$ns" 2>/dev/null) || continue
    grep -qxF "net:[$ino]" <<<"$held" || ip netns del "$name" 2>/dev/null || true
  done
  return 0
}

node_leftovers() {
  _node_require_setup || return
  local found=0 ns d pid
  while read -r ns _; do
    [[ $ns == "$NODE_PREFIX-$NODE_RUN-"* ]] && { echo "netns $ns"; found=1; }
  done < <(ip netns list 2>/dev/null)
  for d in "$NODE_DIR"/n/*/ "$NODE_DIR"/s/*/; do
    d=${d%/}
    for pid in $(_node_ns_pids "$d" include-holder); do
      echo "process $pid ($(cat "/proc/$pid/comm" 2>/dev/null)) in namespaces of $d"
      found=1
    done
  done
  ((found == 0))
}
