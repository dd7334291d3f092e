#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# vm vs ocf:heartbeat:VirtualDomain with its defaults, the same domain on RBD, one run:
# the recurring monitor (wall and CPU), and live-migration wall time (migrate_to on the source
# + migrate_from on the target) between two libvirt nodes in namespaces. Each node runs a
# one-node cluster, so the stock agent's utilization updates (on by default) reach a real CIB.
# usage: bench/vm.sh   (root, after `make install`; hyperfine, jq)
# No `set -e`: the test helpers sourced below are written for bats, which checks each step.
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=lib.bash
source bench/lib.bash
unset NODE_EXTRA_CA_CERTS

# shellcheck source=../lab/lib/ceph.bash
source lab/lib/ceph.bash
# shellcheck source=../lab/lib/libvirt.bash
source lab/lib/libvirt.bash
bench_stop() {
  local n
  for n in a b; do cluster_stop "$n"; libvirt_stop "$n"; done
  ceph_stop "$scratch/ceph"
}
bench_nodes vm || exit 1
scratch=$BENCH_SCRATCH
export LIBVIRT_BASE=$scratch/lv CEPH_HELPER_QUIET=1 LIBVIRT_HELPER_QUIET=1

STOCK=/usr/lib/ocf/resource.d/heartbeat/VirtualDomain
OURS=/usr/lib/ocf/resource.d/seapath/vm
[[ -x $OURS ]] || { echo "bench/vm.sh: $OURS is not installed (make install)" >&2; exit 1; }
VM=vmbench
CONFIG=$scratch/etc/$VM.xml
declare -A IP=([a]=198.51.100.11 [b]=198.51.100.12)

node_create ceph 198.51.100.10/24 || exit 1
CEPH_EXEC="in_node ceph" ceph_start "$scratch/ceph" 198.51.100.10 || exit 1
ceph_use "$scratch/ceph" || exit 1
{ cat /etc/hosts; echo "${IP[a]} a"; echo "${IP[b]} b"; } >"$scratch/hosts"
for n in a b; do
  node_peer ceph "$n" "${IP[$n]}/24" || exit 1
  LIBVIRT_EXEC="in_node $n" libvirt_start "$n" "${IP[$n]}" || exit 1
  ceph_mount_etc "$scratch/ceph" in_node "$n" || exit 1
  in_node "$n" mount --bind "$scratch/hosts" /etc/hosts || exit 1
  cluster_start "$n" >/dev/null || exit 1
done
mkdir -p "$scratch/etc"
# The cheapest guest (no OS, 64 MiB) keeps TCG from competing with the agents for the 2 cores.
libvirt_domain_xml "$VM" --guest noos >"$scratch/$VM.xml" && ceph_system_image "$scratch/ceph" "$VM" "$scratch/$VM.xml" || exit 1
cp "$scratch/$VM.xml" "$CONFIG" # the stock agent needs it before anything; ours writes it from RBD
# Both resources exist in each node's CIB, unmanaged and without operations (Pacemaker only
# probes them), so that the stock agent's crm_resource calls find theirs.
for n in a b; do
  if ! { in_cluster "$n" crm configure primitive vm-stock ocf:heartbeat:VirtualDomain params config="$CONFIG" \
    meta is-managed=false >/dev/null 2>&1 &&
    in_cluster "$n" crm configure primitive "$VM" ocf:seapath:vm params config="$CONFIG" seapath=true \
      meta is-managed=false >/dev/null 2>&1; }; then
    echo "bench/vm.sh: cannot define the resources on $n" >&2
    exit 1
  fi
done

in_node_cmd() { printf 'nsenter -t %s --net --mount --uts -- ' "$(node_pid "$1")"; }
# As pacemaker-execd runs them: a clean environment, the resource's parameters, VirtualDomain's
# defaults for the stock agent (only config is required), vm_manager's seapath=true for ours.
env_of() { # INSTANCE TIMEOUT_MS [KEY=VALUE...]
  local inst=$1 timeout=$2 kv
  shift 2
  printf '%s ' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 \
    OCF_RESOURCE_INSTANCE="$inst" OCF_RESKEY_config="$CONFIG" OCF_RESKEY_CRM_meta_timeout="$timeout"
  for kv in "$@"; do printf 'OCF_RESKEY_%s ' "$kv"; done
}
stock_env() { env_of vm-stock "$@"; }
ours_env() { env_of "$VM" "$@" seapath=true; }

# Time one action in node N; prints wall ms, fails if the agent does.
timed() { # NODE CMD...
  local node=$1 t0 t1
  shift
  t0=${EPOCHREALTIME/./}
  # shellcheck disable=SC2046
  $(in_node_cmd "$node") "$@" >>"$scratch/agents.log" 2>&1 || { echo "failed: $*" >&2; return 1; }
  t1=${EPOCHREALTIME/./}
  echo $(((t1 - t0) / 1000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ROUNDS round trips a -> b -> a with one agent; prints the median ms of one migration.
migrations() { # stock|ours ROUNDS
  local who=$1 rounds=$2 i src dst ms1 ms2 envs
  for ((i = 0; i < rounds; i++)); do
    for src in a b; do
      dst=$([ "$src" = a ] && echo b || echo a)
      envs=$("${who}_env" 120000 migration_transport=tcp "CRM_meta_migrate_source=$src" "CRM_meta_migrate_target=$dst")
      # shellcheck disable=SC2086 # envs: K=V words for env
      ms1=$(timed "$src" $envs "$([ "$who" = stock ] && echo "$STOCK" || echo "$OURS")" migrate_to) || return 1
      envs=$("${who}_env" 60000 migration_transport=tcp "CRM_meta_migrate_source=$src" "CRM_meta_migrate_target=$dst")
      # shellcheck disable=SC2086 # envs: K=V words for env
      ms2=$(timed "$dst" $envs "$([ "$who" = stock ] && echo "$STOCK" || echo "$OURS")" migrate_from) || return 1
      echo $((ms1 + ms2))
    done
  done | median
}

echo "### vm vs ocf:heartbeat:VirtualDomain (defaults), same domain on RBD, libvirt $(virsh --version), same run"
echo
bench_machine
echo

# Monitor: the stock agent started the domain (its `virsh create`), both monitor the same one.
# shellcheck disable=SC2046
$(in_node_cmd a) $(stock_env 90000) "$STOCK" start >>"$scratch/agents.log" 2>&1 || { echo "stock start failed" >&2; exit 1; }
bench_header
bench_compare "monitor, recurring (target ≤ 0.5×)" 40 "$(stock_env 30000 CRM_meta_interval=10000)$STOCK monitor" \
  "$(ours_env 30000 CRM_meta_interval=10000)$OURS monitor" "$(in_node_cmd a)"
no_autoset=(autoset_utilization_cpu=false autoset_utilization_hv_memory=false autoset_utilization_host_memory=false)
bench_compare "monitor, stock with utilization autoset off (context)" 40 \
  "$(stock_env 30000 CRM_meta_interval=10000 "${no_autoset[@]}")$STOCK monitor" \
  "$(ours_env 30000 CRM_meta_interval=10000)$OURS monitor" "$(in_node_cmd a)"
bench_compare "probe (interval 0)" 20 "$(stock_env 30000 CRM_meta_interval=0)$STOCK monitor" \
  "$(ours_env 30000 CRM_meta_interval=0)$OURS monitor" "$(in_node_cmd a)"

# Live migration, the stock agent's domain first, then ours (each starts and stops its own).
rounds=5
stock_ms=$(migrations stock "$rounds")
# shellcheck disable=SC2046
$(in_node_cmd a) $(stock_env 90000 force_stop=true) "$STOCK" stop >>"$scratch/agents.log" 2>&1
# shellcheck disable=SC2046
$(in_node_cmd a) $(ours_env 90000) "$OURS" start >>"$scratch/agents.log" 2>&1 || { echo "vm start failed" >&2; exit 1; }
ours_ms=$(migrations ours "$rounds")
# shellcheck disable=SC2046
$(in_node_cmd a) $(ours_env 90000 force_stop=true) "$OURS" stop >>"$scratch/agents.log" 2>&1
echo
ratio=$(awk -v o="$ours_ms" -v s="$stock_ms" 'BEGIN { if (s > 0) printf "%.2f×", o / s; else print "n/a" }')
echo "| live migration, migrate_to + migrate_from, qemu+tcp, 64 MiB guest, median of $((rounds * 2)) (target ≤ 1.0×) |" \
  "stock ms | ours ms | ratio |"
echo "| --- | ---: | ---: | ---: |"
echo "| a ↔ b | $stock_ms | $ours_ms | $ratio |"
echo
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
