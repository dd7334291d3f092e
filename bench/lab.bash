# SPDX-License-Identifier: Apache-2.0
# shellcheck source-path=SCRIPTDIR
# shellcheck shell=bash
# Sourced by the benches that drive the three-node lab in-process (bench/mempressure.sh, bench/scale.sh):
# lab/lab.sh's functions on a lab of their own (BENCH_LAB_ROOT, default /var/lib/seapath-lab-bench),
# lab/scale.bash and bench/lib.bash. Sets REPO and LAB (lab/lab.sh).

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export LAB_ROOT=${BENCH_LAB_ROOT:-/var/lib/seapath-lab-bench}
LAB=$REPO/lab/lab.sh
# shellcheck source=../lab/lab.sh
source "$LAB"
# shellcheck source=../lab/scale.bash
source "$REPO/lab/scale.bash"
# shellcheck source=lib.bash
source "$REPO/bench/lib.bash"
