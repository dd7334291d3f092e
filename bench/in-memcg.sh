#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs CMD inside the memory cgroup DIR (cgroup v1 or v2 directory): what it faults in, its page
# cache included, is charged there. Used by bench/mempressure.sh.
# usage: in-memcg.sh DIR CMD...
echo $$ >"$1/cgroup.procs" || exit 125
shift
exec "$@"
