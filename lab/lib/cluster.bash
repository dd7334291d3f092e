# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# shellcheck shell=bash
#
# A real Corosync + Pacemaker cluster inside test nodes (see node.bash). No systemd:
# the daemons run in the background inside the node; their pids are found by
# namespace membership, so cluster_start and cluster_stop may run in different bats
# processes (setup_file / teardown_file).
#
#   load ../../lab/lib/cluster     # top level of the .bats file; it sources node.bash itself
#
#   cluster_start NAME [PROP=VALUE...]
#       One-node cluster in node NAME (node_create it first). corosync.conf: knet, crypto
#       none, token $CLUSTER_TOKEN (1000 ms), ring0 = the first IPv4 address of the node's
#       eth0, else 127.0.0.1; the cluster node name is NAME. A fresh node gets a seeded
#       CIB: dc-deadtime=1s (2s with several nodes) stonith-enabled=false no-quorum-policy=ignore
#       cluster-recheck-interval=10s, then the PROP=VALUE given (crm_config properties,
#       they win). A node whose CIB exists already (a restart) keeps it. Starts
#       `corosync -f` and `pacemakerd` with a clean environment and waits (bounded by
#       $CLUSTER_START_TIMEOUT, 60 s) until the node is online and a DC is elected.
#       Writes the time it took, in ms, to "$(node_dir NAME)/cluster/start.ms".
#       $CLUSTER_PACEMAKERD_WRAPPER (a command path and its options, split on spaces) runs
#       pacemakerd, so every daemon and agent, under it: lab/lab.sh sets the hardening wrapper
#       (dist/harden --systemd-seccomp).
#   cluster_start_nodes "NAME1 NAME2..." [PROP=VALUE...]
#       The same for a multi-node cluster (every node needs an IPv4 address on eth0,
#       on the same segment; two nodes get `two_node: 1`). Waits until all are online.
#   cluster_stop NAME [TIMEOUT_S]
#       SIGTERM pacemakerd and wait (bounded, $CLUSTER_STOP_TIMEOUT, 60 s) for every
#       pacemaker daemon to exit (this stops the resources), then SIGTERM corosync
#       (15 s), then SIGKILL whatever is still running in the node (agents' leftovers
#       included) and clear its /dev/shm and /run/crm. rc 1 (and a message) when the
#       clean stop did not finish in time. The node itself stays (node_destroy it).
#   cluster_kill NAME           "crash": SIGKILL every process of the node at once.
#   cluster_teardown NAME...    cluster_stop each NAME (best effort), then node_teardown (teardown_file).
#   cluster_restart NAME [TIMEOUT_S]
#       Start the daemons again with the node's existing corosync.conf and CIB (after
#       cluster_kill, or a lab power cut), so it rejoins its cluster; waits until online.
#   cluster_wait_online NAME [TIMEOUT_S] [NODES...]
#       Wait until crm_mon in NAME shows a DC and NODES (default NAME) online.
#   cluster_wait_resource NAME RSC STATE [TIMEOUT_S] [ON_NODE]
#       Wait (default 30 s) until crm_mon XML in node NAME shows resource RSC (a
#       primitive, or its clone instances RSC:N) in STATE:
#         Started|Promoted|Unpromoted: one instance has that role, not failed (on ON_NODE if given)
#         Stopped: RSC is known and no instance is active (on ON_NODE if given)
#         Failed:  an instance is failed or a failed operation of RSC is recorded
#       On timeout prints crm_mon and the node's last pacemaker log lines for RSC; rc 1.
#   cluster_attribute NAME ATTR [ON_NODE]
#       Prints the node attribute's current value in attrd ("" when unset).
#   cluster_wait_attribute NAME ATTR VALUE [TIMEOUT_S] [ON_NODE]
#       Wait (default 20 s) until attrd's value of ATTR is VALUE ("" = unset).
#   cluster_crm_mon_xml NAME    crm_mon -1 --inactive --include=attributes --output-as=xml (crm.bash
#                               has the queries on it: crm_xpath, crm_where_is, ...)
#   in_cluster NAME CMD...      in_node NAME CMD... with CIB_file unset: pcs, crm,
#                               cibadmin, crm_resource, attrd_updater, crm_mon ...
#   cluster_logs NAME [LINES]   tails of corosync.log, pacemaker.log and the daemons' stdout
#
# Files, under "$(node_dir NAME)": fs/var/log/pacemaker/pacemaker.log,
# fs/var/log/corosync/corosync.log, fs/var/lib/pacemaker/cib/cib.xml,
# fs/etc/corosync/corosync.conf, cluster/{corosync,pacemakerd}.out, cluster/start.ms.
#
# Example (bats):
#   load ../../lab/lib/cluster
#   setup_file() {
#     node_setup pg
#     node_create n1 192.0.2.11/24
#     node_peer n1 peer 192.0.2.99/24
#     cluster_start n1
#   }
#   teardown_file() { cluster_teardown n1; }
#   @test "Dummy starts" {
#     in_cluster n1 pcs resource create d1 ocf:pacemaker:Dummy op monitor interval=10s
#     cluster_wait_resource n1 d1 Started 20
#     cluster_wait_attribute n1 some-attr 1000 10
#   }

_CLUSTER_LIB_DIR=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=node.bash
[[ $(type -t node_create) == function ]] || source "$_CLUSTER_LIB_DIR/node.bash"
# shellcheck source=crm.bash
source "$_CLUSTER_LIB_DIR/crm.bash"

_cluster_die() { printf 'cluster.bash: %s\n' "$*" >&2; return 1; }

in_cluster() {
  local name=${1:?usage: in_cluster NAME CMD...}
  shift
  in_node "$name" env -u CIB_file "$@"
}

# Pids of the node's processes whose command name (comm) matches the glob $2.
_cluster_pids_named() {
  local pid comm
  for pid in $(node_pids "$1"); do
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
    # shellcheck disable=SC2053
    [[ $comm == $2 ]] && proc_alive "$pid" && printf '%s\n' "$pid"
  done
  return 0
}

_cluster_ipv4() {
  local ns addr
  ns=$(node_netns "$1") || return
  addr=$(ip -n "$ns" -4 -o addr show dev eth0 scope global 2>/dev/null | awk '{ sub("/.*", "", $4); print $4; exit }')
  printf '%s\n' "${addr:-}"
}

# corosync.conf for nodes "name:id:addr"... (cluster name: from the first node)
_cluster_corosync_conf() {
  local count=$# entry name id addr
  cat <<EOF
totem {
    version: 2
    cluster_name: ${NODE_PREFIX}-${NODE_RUN}-${1%%:*}
    transport: knet
    crypto_cipher: none
    crypto_hash: none
    token: ${CLUSTER_TOKEN:-1000}
}
logging {
    to_logfile: yes
    logfile: /var/log/corosync/corosync.log
    to_syslog: no
    to_stderr: no
    timestamp: on
}
quorum {
    provider: corosync_votequorum
EOF
  ((count == 2)) && echo "    two_node: 1"
  echo "}"
  echo "nodelist {"
  for entry in "$@"; do
    IFS=: read -r name id addr <<<"$entry"
    printf '    node {\n        name: %s\n        nodeid: %s\n        ring0_addr: %s\n    }\n' "$name" "$id" "$addr"
  done
  echo "}"
}

# Seed cib.xml (hacluster:haclient 0600) unless the node has one already.
_cluster_seed_cib() {
  local dir=$1 deadtime=$2 cib tmp kv
  shift 2
  cib=$dir/fs/var/lib/pacemaker/cib/cib.xml
  [[ -s $cib ]] && return 0
  tmp=$dir/cluster/seed-cib.xml
  cibadmin --empty >"$tmp" || _cluster_die "cibadmin --empty failed" || return
  for kv in dc-deadtime="$deadtime" stonith-enabled=false no-quorum-policy=ignore cluster-recheck-interval=10s "$@"; do
    [[ $kv == *=* ]] || _cluster_die "cluster property '$kv' is not NAME=VALUE" || return
    CIB_file=$tmp crm_attribute --type crm_config --name "${kv%%=*}" --update "${kv#*=}" >/dev/null ||
      _cluster_die "cannot set cluster property $kv in the seed CIB" || return
  done
  install -o hacluster -g haclient -m 0600 "$tmp" "$cib"
}

# Starts DAEMON (argv) inside the node in its own session, with a clean environment,
# stdout/stderr to $out, every other fd closed (bats waits for EOF on its own: a daemon holding one
# keeps it waiting).
_cluster_spawn() {
  local name=$1 out=$2 pid
  shift 2
  pid=$(node_pid "$name") || return
  (proc_close_fds && exec setsid nsenter -t "$pid" --net --mount --uts --wd=/ -- \
    env -i PATH="$_NODE_PATH" LANG=C.UTF-8 HOME=/root \
    PCMK_logfile=/var/log/pacemaker/pacemaker.log PCMK_logfacility=none \
    "$@") </dev/null >>"$out" 2>&1 &
  # the subshell, setsid, nsenter and env exec in turn (a background job leads no process group:
  # setsid does not fork), so this pid becomes the daemon's.
  _CLUSTER_SPAWNED_PID=$!
  disown $! 2>/dev/null
  return 0
}

_cluster_launch() {
  local name=$1 conf=$2 deadtime=$3 dir timeout=${CLUSTER_START_TIMEOUT:-60}
  shift 3
  dir=$(node_dir "$name") || return
  node_pid "$name" >/dev/null || return
  [[ -z $(_cluster_pids_named "$name" corosync) ]] ||
    _cluster_die "node '$name': corosync already runs" || return
  mkdir -p "$dir/cluster" || return
  printf '%s\n' "$conf" >"$dir/fs/etc/corosync/corosync.conf" || return
  _cluster_seed_cib "$dir" "$deadtime" "$@" || return
  in_node "$name" /bin/sh -c 'rm -rf /dev/shm/qb-* /run/crm/* /run/corosync.pid' || true
  _cluster_spawn "$name" "$dir/cluster/corosync.out" corosync -f || return
  # corosync-cfgtool answers once the IPC is up; fail fast if corosync died.
  if ! wait_until "$timeout" "corosync in node $name (see $dir/cluster/corosync.out)" \
    _cluster_up_or_dead "$name" "$_CLUSTER_SPAWNED_PID" corosync corosync-cfgtool -s; then
    cluster_logs "$name" 20 >&2
    return 1
  fi
  [[ -n $(_cluster_pids_named "$name" corosync) ]] ||
    { _cluster_die "corosync exited in node $name"; cluster_logs "$name" 20 >&2; return 1; }
  local -a wrapper=()
  read -ra wrapper <<<"${CLUSTER_PACEMAKERD_WRAPPER:-}"
  _cluster_spawn "$name" "$dir/cluster/pacemakerd.out" "${wrapper[@]}" pacemakerd || return
}

# _cluster_up_or_dead NAME SPAWNED_PID DAEMON CMD...: succeeds when CMD works in the node, or (to
# stop waiting early) when DAEMON died: no process of that name, and the spawned one gone (until it
# has exec'd DAEMON it is named setsid, nsenter or env: not dead). The caller tells the two apart.
_cluster_up_or_dead() {
  local name=$1 spawned=$2 daemon=$3
  shift 3
  if [[ -z $(_cluster_pids_named "$name" "$daemon") ]]; then
    ! proc_alive "$spawned"
    return
  fi
  in_node "$name" "$@"
}

cluster_start() {
  local name=${1:?usage: cluster_start NAME [PROP=VALUE...]}
  shift
  _cluster_start_nodes "$name" "$@"
}

# cluster_restart NAME [TIMEOUT_S]: start Corosync and Pacemaker again in a node whose cluster was
# started before (after cluster_kill or a lab power cut), with its existing corosync.conf and CIB,
# so it rejoins its cluster; waits until NAME sees itself online.
cluster_restart() {
  local name=${1:?usage: cluster_restart NAME [TIMEOUT_S]} dir conf
  dir=$(node_dir "$name") || return
  conf=$(<"$dir/fs/etc/corosync/corosync.conf") || _cluster_die "node '$name' has no corosync.conf to restart with" || return
  _cluster_launch "$name" "$conf" 2s || return
  cluster_wait_online "$name" "${2:-${CLUSTER_START_TIMEOUT:-60}}"
}

cluster_start_nodes() {
  local names=${1:?usage: cluster_start_nodes \"NAME1 NAME2...\" [PROP=VALUE...]}
  shift
  _cluster_start_nodes "$names" "$@"
}

_cluster_start_nodes() {
  local names=$1 name addr id=0 entries=() conf t0 ms
  shift
  t0=$(proc_now_ms)
  # shellcheck disable=SC2086
  set -- $names -- "$@"
  local list=()
  while [[ $1 != -- ]]; do list+=("$1"); shift; done
  shift
  for name in "${list[@]}"; do
    node_pid "$name" >/dev/null || return
    id=$((id + 1))
    addr=$(_cluster_ipv4 "$name")
    if [[ -z $addr ]]; then
      ((${#list[@]} == 1)) || _cluster_die "node '$name' has no IPv4 address on eth0" || return
      addr=127.0.0.1
    fi
    entries+=("$name:$id:$addr")
  done
  conf=$(_cluster_corosync_conf "${entries[@]}")
  # One node has nobody to wait for; several nodes starting one after the other do.
  local deadtime=2s
  ((${#list[@]} == 1)) && deadtime=1s
  for name in "${list[@]}"; do
    _cluster_launch "$name" "$conf" "$deadtime" "$@" || return
  done
  for name in "${list[@]}"; do
    cluster_wait_online "$name" "${CLUSTER_START_TIMEOUT:-60}" "${list[@]}" || return
  done
  ms=$(( $(proc_now_ms) - t0 ))
  for name in "${list[@]}"; do
    printf '%s\n' "$ms" >"$(node_dir "$name")/cluster/start.ms"
  done
}

cluster_attribute() {
  local name=${1:?usage: cluster_attribute NAME ATTR [ON_NODE]} attr=${2:?usage: cluster_attribute NAME ATTR [ON_NODE]}
  local on=${3:-$1} out
  out=$(in_cluster "$name" attrd_updater --query --name "$attr" --node "$on" 2>/dev/null) || true
  out=$(sed -n 's/.* value="\([^"]*\)".*/\1/p' <<<"$out" | head -n 1)
  printf '%s\n' "$out"
}

_cluster_attribute_is() { # NAME ATTR VALUE ON_NODE
  local got
  got=$(cluster_attribute "$1" "$2" "$4")
  [[ $got == "$3" ]] || { echo "attribute $2 is '$got'"; return 1; }
}

cluster_wait_attribute() {
  local usage="usage: cluster_wait_attribute NAME ATTR VALUE [TIMEOUT_S] [ON_NODE]"
  local name=${1:?$usage} attr=${2:?$usage} value=${3?$usage} timeout=${4:-20} on=${5:-$1}
  wait_until "$timeout" "attribute $attr=\"$value\" of node $on in node $name" \
    _cluster_attribute_is "$name" "$attr" "$value" "$on"
}

cluster_crm_mon_xml() {
  in_cluster "${1:?usage: cluster_crm_mon_xml NAME}" crm_mon -1 --inactive --include=attributes --output-as=xml
}

_cluster_online_check() {
  local name=$1 xml n
  shift
  xml=$(cluster_crm_mon_xml "$name" 2>&1) || { printf '%s\n' "$xml"; return 1; }
  [[ $(crm_xpath "count(//current_dc[@present='true'])" <<<"$xml") == 1 ]] ||
    { echo "no DC yet"; return 1; }
  for n in "$@"; do
    [[ $(crm_xpath "count(//nodes/node[@name='$n'][@online='true'][@pending='false'])" <<<"$xml") == 1 ]] ||
      { echo "node $n not online yet"; return 1; }
  done
}

cluster_wait_online() {
  local name=${1:?usage: cluster_wait_online NAME [TIMEOUT_S] [NODES...]} timeout=${2:-${CLUSTER_START_TIMEOUT:-60}}
  shift
  (($#)) && shift
  (($#)) || set -- "$name"
  if ! wait_until "$timeout" "a DC and nodes [$*] online in node $name" _cluster_online_check "$name" "$@"; then
    in_cluster "$name" crm_mon -1 >&2 2>&1
    cluster_logs "$name" 30 >&2
    return 1
  fi
}

_cluster_resource_check() {
  local name=$1 rsc=$2 state=$3 on=${4:-} xml sel where total active
  xml=$(cluster_crm_mon_xml "$name" 2>&1) || { printf '%s\n' "$xml"; return 1; }
  sel="//resource[@id='$rsc' or starts-with(@id,'$rsc:')]"
  where=""
  [[ -n $on ]] && where="[node/@name='$on']"
  case $state in
    Stopped)
      total=$(crm_xpath "count($sel)" <<<"$xml")
      active=$(crm_xpath "count(${sel}[@active='true']$where)" <<<"$xml")
      [[ $total -gt 0 && $active == 0 ]] ;;
    Failed)
      [[ $(crm_xpath "count(${sel}[@failed='true']$where) + count(//failures/failure[starts-with(@op_key,'${rsc}_')])" <<<"$xml") != 0 ]] ;;
    *)
      [[ $(crm_xpath "count(${sel}[@role='$state'][@failed='false']$where)" <<<"$xml") != 0 ]] ;;
  esac || { printf 'resource %s not %s%s yet\n' "$rsc" "$state" "${on:+ on $on}"; return 1; }
}

cluster_wait_resource() {
  local usage="usage: cluster_wait_resource NAME RSC STATE [TIMEOUT_S] [ON_NODE]"
  local name=${1:?$usage} rsc=${2:?$usage} state=${3:?$usage} timeout=${4:-30} on=${5:-}
  if ! wait_until "$timeout" "resource $rsc $state${on:+ on $on} in node $name" \
    _cluster_resource_check "$name" "$rsc" "$state" "$on"; then
    in_cluster "$name" crm_mon -1 --inactive --failcounts >&2 2>&1
    local log
    log="$(node_dir "$name")/fs/var/log/pacemaker/pacemaker.log"
    [[ -f $log ]] && { echo "--- $log ($rsc)"; grep -F "$rsc" "$log" | tail -n 20; } >&2
    return 1
  fi
}

# Waits (bounded) until no process of the node matches the glob.
_cluster_gone() { [[ -z $(_cluster_pids_named "$1" "$2") ]]; }

cluster_stop() {
  local name=${1:?usage: cluster_stop NAME [TIMEOUT_S]} timeout=${2:-${CLUSTER_STOP_TIMEOUT:-60}} pids rc=0
  node_pid "$name" >/dev/null 2>&1 || return 0 # no node: nothing runs
  pids=$(_cluster_pids_named "$name" pacemakerd)
  if [[ -n $pids ]]; then
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    wait_until "$timeout" "pacemaker to stop in node $name" _cluster_gone "$name" 'pacemaker*' || rc=1
  fi
  pids=$(_cluster_pids_named "$name" corosync)
  if [[ -n $pids ]]; then
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    wait_until 15 "corosync to stop in node $name" _cluster_gone "$name" corosync || rc=1
  fi
  ((rc == 0)) || cluster_logs "$name" 20 >&2
  node_kill_all "$name" || rc=1
  in_node "$name" /bin/sh -c 'rm -rf /dev/shm/* /run/crm/* /run/corosync.pid' || true
  return "$rc"
}

cluster_teardown() {
  local name
  for name in "$@"; do cluster_stop "$name" || true; done
  node_teardown
}

cluster_kill() {
  node_kill_all "${1:?usage: cluster_kill NAME}"
}

cluster_logs() {
  local name=${1:?usage: cluster_logs NAME [LINES]} lines=${2:-40} dir f
  dir=$(node_dir "$name") || return
  for f in "$dir/cluster/corosync.out" "$dir/fs/var/log/corosync/corosync.log" \
    "$dir/cluster/pacemakerd.out" "$dir/fs/var/log/pacemaker/pacemaker.log"; do
    [[ -s $f ]] || continue
    printf -- '--- %s (last %s lines)\n' "$f" "$lines"
    tail -n "$lines" "$f"
  done
}
