#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The lab's stand-in for cephadm's orchestrator, installed as /usr/local/bin/ceph on the lab nodes
# only (lab/seapath.bash). SEAPATH deploys Ceph with cephadm, and vm_manager builds the RBD disk's
# monitor list from `ceph orch host ls -f json-pretty | jq -r '.[].hostname'`. The lab's Ceph has
# no mgr and no orchestrator: its one host is `storage` (192.0.2.20, in every node's /etc/hosts).
# Every other command is the real ceph.
case "$1 $2 $3" in
  "orch host ls")
    cat <<'EOF'
[
  {
    "addr": "192.0.2.20",
    "hostname": "storage",
    "labels": ["_admin", "mon", "osd"],
    "status": ""
  }
]
EOF
    exit 0 ;;
esac
exec /usr/bin/ceph "$@"
