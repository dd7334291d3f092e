#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# Monitor latency of vm, vip and ping under memory pressure, stock agents against ours, one run.
# The lab (lab.sh up + deploy: ping clone, vm1 on RBD, vip) runs our agents; on the node holding
# vm1 and the vip, both flavours monitor the same domain, address and gateway, as pacemaker-execd
# would (clean environment, recurring monitor), each run inside a memory cgroup of its own:
#   none      a cgroup without limit: the page cache stays warm between runs
#   evicted   what the previous run brought into the page cache is dropped before each run (the
#             cgroup's memory.force_empty): a host whose memory is taken by VMs reclaimed it
#             in the 10 s between two monitors
#   limit     evicted, and the cgroup limited to MEMPRESSURE_LIMIT_MIB (default 64): reclaim
#             also happens during the run
#   pinned    (ours only) limit, with our executable's pages locked in memory by the shipped
#             seapath-agents-pin.service (its ExecStart, `vmtouch -l`, run outside the cgroup)
# Before each series the files only agents use (our executable; the stock agents' scripts,
# ocf-shellfuncs, virsh, crm_resource, attrd_updater, fping, ip) leave the page cache
# (POSIX_FADV_DONTNEED), so that what a run faults in is charged to its cgroup.
# Prints hyperfine's median and p99 (ms) per agent, flavour and condition.
#   MEMPRESSURE_RUNS (default 40)
set -uo pipefail
# shellcheck source=lab.bash
source "$(dirname "$0")/lab.bash"
unset NODE_EXTRA_CA_CERTS
RUNS=${MEMPRESSURE_RUNS:-40}
LIMIT_MIB=${MEMPRESSURE_LIMIT_MIB:-64}
CG_ROOT=/sys/fs/cgroup/memory
[[ -d $CG_ROOT ]] || CG_ROOT=/sys/fs/cgroup
CG=$CG_ROOT/seapath-bench-$$
EXCLUSIVE=(/usr/lib/seapath-agents/seapath-agents /usr/lib/ocf/resource.d/heartbeat/VirtualDomain
  /usr/lib/ocf/resource.d/heartbeat/IPaddr2 /usr/lib/ocf/resource.d/pacemaker/ping /usr/lib/ocf/lib/heartbeat/*
  /usr/bin/virsh /usr/sbin/crm_resource /usr/sbin/attrd_updater /usr/bin/fping /usr/sbin/ip /bin/ip)

PIN=
cleanup() {
  local c
  [[ -n $PIN ]] && kill "$PIN" 2>/dev/null
  for c in none evicted limit pinned; do [[ -d $CG-$c ]] && rmdir "$CG-$c" 2>/dev/null; done
  "$LAB" down >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 2' INT TERM

make_cgroup() { # NAME LIMIT_BYTES|max
  mkdir -p "$CG-$1" || return 1
  if [[ -e $CG-$1/memory.limit_in_bytes ]]; then
    [[ $2 == max ]] || echo "$2" >"$CG-$1/memory.limit_in_bytes"
  else
    echo "$2" >"$CG-$1/memory.max"
  fi
}
# Empties what the cgroup holds of the page cache (v1: force_empty; v2: memory.reclaim).
evict_cmd() {
  if [[ -e $CG-$1/memory.force_empty ]]; then echo "sh -c 'echo 0 > $CG-$1/memory.force_empty'"
  else echo "sh -c 'echo 1G > $CG-$1/memory.reclaim || true'"; fi
}
drop_exclusive() { local f; for f in "${EXCLUSIVE[@]}"; do [[ -f $f ]] && dd if="$f" iflag=nocache count=0 status=none 2>/dev/null; done; }

"$LAB" up >/dev/null || exit 1
lab_anchor; node_setup lab >/dev/null
"$LAB" deploy seapath >/dev/null || exit 1
vip_up() { [[ -n $(crm_where_is vip) ]]; }
wait_until 180 "vm1 and the vip" vip_up >/dev/null || exit 1
ON=$(crm_where_is vm1)
in_node "$ON" install -D -m 0644 "$LAB_ROOT/vm1.xml" /var/lib/pacemaker/seapath/vm1-stock.xml
if ! { make_cgroup none max && make_cgroup evicted max && make_cgroup limit $((LIMIT_MIB << 20)) &&
  make_cgroup pinned $((LIMIT_MIB << 20)); }; then
  echo "no memory cgroup" >&2
  exit 1
fi
sleep 5

ENTER="nsenter -t $(node_pid "$ON") --net --mount --uts --"
BASE="env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1"
BASE+=" OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_CRM_meta_timeout=30000"
RA=/usr/lib/ocf/resource.d
CONFIG=OCF_RESKEY_config=/var/lib/pacemaker/seapath
HYPERVISOR=OCF_RESKEY_hypervisor=qemu:///system
VIP="OCF_RESKEY_ip=192.0.2.50 OCF_RESKEY_cidr_netmask=24"
PING="OCF_RESKEY_host_list=${LAB_ADDR[gateway]} OCF_RESKEY_multiplier=1000 OCF_RESKEY_dampen=2s"
declare -A CMD=(
  [vm-stock]="$BASE OCF_RESOURCE_INSTANCE=vm1 $CONFIG/vm1-stock.xml $HYPERVISOR $RA/heartbeat/VirtualDomain monitor"
  [vm-ours]="$BASE OCF_RESOURCE_INSTANCE=vm1 $CONFIG/vm1.xml OCF_RESKEY_seapath=true $HYPERVISOR $RA/seapath/vm monitor"
  [vip-stock]="$BASE OCF_RESOURCE_INSTANCE=vip-stock $VIP $RA/heartbeat/IPaddr2 monitor"
  [vip-ours]="$BASE OCF_RESOURCE_INSTANCE=vip $VIP $RA/seapath/vip monitor"
  [ping-stock]="$BASE OCF_RESOURCE_INSTANCE=ping-stock OCF_RESKEY_name=pingd-stock $PING $RA/pacemaker/ping monitor"
  [ping-ours]="$BASE OCF_RESOURCE_INSTANCE=ping OCF_RESKEY_name=pingd $PING $RA/seapath/ping monitor"
)
# The stock ping needs its own instance started once (its monitor checks the state file).
# shellcheck disable=SC2086 # ENTER and CMD hold command lines, one word an argument
$ENTER ${CMD[ping-stock]% monitor} start >/dev/null 2>&1

series() { # AGENT FLAVOUR CONDITION: prints "median p99" in ms
  local key=$1-$2 cond=$3 json prep=()
  json=$BENCH_OUT/mempressure-$key-$cond.json
  drop_exclusive
  [[ $cond == none ]] || prep=(--prepare "$(evict_cmd "$cond")")
  # shellcheck disable=SC2086
  hyperfine -N --style none --runs "$RUNS" --warmup "$([[ $cond == none ]] && echo 3 || echo 0)" -i "${prep[@]}" \
    --export-json "$json" "$REPO/bench/in-memcg.sh $CG-$cond $ENTER ${CMD[$key]}" >/dev/null 2>&1 || { echo "- -"; return; }
  # A run that failed (an agent killed by the cgroup's OOM killer, say) is counted and shown.
  jq -r '.results[0] | ([.exit_codes[] | select(. != 0)] | length) as $f | .times | sort
    | (.[length / 2 | floor] * 1000 | . * 10 | round / 10) as $m
    | (.[(length * 0.99 | ceil) - 1] * 1000 | . * 10 | round / 10) as $p
    | "\($m) \($p)\(if $f > 0 then " (\($f) failed)" else "" end)"' "$json"
}

echo "### Monitor latency under memory pressure (lab node $ON, $RUNS runs per cell, limit ${LIMIT_MIB} MiB)"
echo
bench_machine
root_dev=$(basename "$(findmnt -no source /)")
[[ -d /sys/block/$root_dev ]] || root_dev=$(lsblk -no pkname "/dev/$root_dev" 2>/dev/null | head -1)
echo "Read-ahead of the root disk ($root_dev): $(cat "/sys/block/$root_dev/queue/read_ahead_kb" 2>/dev/null || echo '?') KiB"
echo
for key in vm-stock vm-ours vip-stock vip-ours ping-stock ping-ours; do
  # shellcheck disable=SC2086
  $ENTER ${CMD[$key]} >/dev/null 2>&1; rc=$?
  ((rc == 0)) || echo "(warning: $key monitor exits $rc)"
done
declare -A ROW=()
for agent in vm vip ping; do
  for flavour in stock ours; do
    ROW[$agent-$flavour]="| $agent | $flavour |"
    for cond in none evicted limit; do
      read -r med p99 <<<"$(series "$agent" "$flavour" "$cond")"
      ROW[$agent-$flavour]+=" $med / $p99 |"
    done
  done
done
# The fix: our executable locked in memory by what the package ships, seapath-agents-pin.service's
# ExecStart run as written (no systemd here), outside the agents' cgroup as systemd runs it in its own.
PIN_UNIT=/usr/lib/systemd/system/seapath-agents-pin.service
if [[ -f $PIN_UNIT ]] && command -v vmtouch >/dev/null; then
  EXE=/usr/lib/seapath-agents/seapath-agents
  read -ra pin_argv <<<"$(sed -n 's/^ExecStart=//p' "$PIN_UNIT")"
  dd if="$EXE" iflag=nocache count=0 status=none
  "${pin_argv[@]}" >/dev/null 2>&1 &
  PIN=$!
  # shellcheck disable=SC2017 # rounds up to whole 4 KiB pages first, as mlock does
  want_kib=$((($(stat -c %s "$EXE") + 4095) / 4096 * 4))
  locked_kib() { awk '/^VmLck:/ { print $2 }' "/proc/$PIN/status" 2>/dev/null || echo 0; }
  for _ in $(seq 100); do (($(locked_kib) >= want_kib)) && break; sleep 0.1; done
  echo "(pinned: $(awk '/^VmLck:/ { print $2, $3 }' "/proc/$PIN/status") locked by ${pin_argv[*]} (pid $PIN, $PIN_UNIT's ExecStart))"
fi
echo "| agent | flavour | none median / p99 ms | evicted median / p99 ms |" \
  "limit ${LIMIT_MIB} MiB median / p99 ms | pinned, limit ${LIMIT_MIB} MiB median / p99 ms |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for agent in vm vip ping; do
  read -r med p99 <<<"$([[ -n $PIN ]] && series "$agent" ours pinned || echo "- -")"
  echo "${ROW[$agent-stock]} - |"
  echo "${ROW[$agent-ours]} $med / $p99 |"
done
