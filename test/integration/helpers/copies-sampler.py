#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Samples, every 0.2 s, which nodes run a QEMU of a VM, which of them execute it, and which
clients watch its RBD image.

usage: copies-sampler.py CEPH_CONF POOL/IMAGE VM OUT PIDFILE NODE=NETNS_LINK...

Writes one line per sample to OUT: "EPOCH QEMU_NODES WATCHERS EXECUTING_NODES" (comma lists, "-"
for none). A QEMU belongs to the node whose network namespace it runs in (NETNS_LINK is the node's
`readlink /proc/PID/ns/net`). It executes its guest when its vCPU threads ("CPU n/TCG") gained CPU
time in the last 1.2 s (the lab's guest wakes every second), as lab/soak-sampler.sh decides it: a
live migration's target waiting for the guest's state, and its source paused after the switch-over,
do not, though both hold a watch on the image. An executing node is written "NODE+" during the
first 1.5 s its QEMU executes when that QEMU was started as a migration's target (`-incoming`): the
switch-over, when the source may still count as executing. Run it where the Ceph mon is reachable;
stop it with SIGTERM. One process with one Ceph connection: a sample costs milliseconds, where `rbd
status` costs a process start and a Ceph handshake.
"""
import os
import signal
import sys
import time

import rados
import rbd

RAN_WITHIN_S = 1.2
SWITCH_OVER_S = 1.5


def vcpu_ns(pid: str) -> int:
    total = 0
    for task in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{task}/comm') as f:
                if not f.read().startswith('CPU'):
                    continue
            with open(f'/proc/{pid}/task/{task}/schedstat') as f:
                total += int(f.read().split()[0])
        except OSError:
            continue
    return total


def qemus(vm: str, nets: dict) -> dict:
    """pid -> (node, started as a migration's target) of every live QEMU of the VM."""
    found = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open(f'/proc/{pid}/cmdline', 'rb') as f:
                argv = f.read().split(b'\0')
            if not argv or not argv[0].endswith(b'qemu-system-x86_64') or f'guest={vm},'.encode() not in b' '.join(argv) + b',':
                continue
            with open(f'/proc/{pid}/stat') as f:
                if f.read().rsplit(')', 1)[1].split()[0] in ('Z', 'X'):
                    continue
            net = os.readlink(f'/proc/{pid}/ns/net')
        except OSError:
            continue
        found[pid] = (nets.get(net, f'pid{pid}'), b'-incoming' in argv)
    return found


class Execution:
    """Which QEMUs executed their guest lately, from the growth of their vCPU time."""

    def __init__(self) -> None:
        self.prev_ns: dict = {}
        self.last_ran: dict = {}
        self.runs: dict = {}
        self.since: dict = {}

    def executing(self, pids: list, now: float) -> dict:
        """pid -> seconds since it began executing, for the QEMUs that execute."""
        out = {}
        for pid in pids:
            try:
                ns = vcpu_ns(pid)
            except OSError:
                continue
            # A paused QEMU's vCPU thread runs once, under 1 ms, when it is created: a QEMU executes
            # once its vCPUs gained time in two samples (not counting the first, from 0).
            prev = self.prev_ns.get(pid)
            if prev and ns > prev:
                self.last_ran[pid] = now
                self.runs[pid] = self.runs.get(pid, 0) + 1
            self.prev_ns[pid] = ns
            if self.runs.get(pid, 0) >= 2 and now - self.last_ran[pid] <= RAN_WITHIN_S:
                out[pid] = now - self.since.setdefault(pid, now)
            else:
                self.since.pop(pid, None)
        for gone in set(self.prev_ns) - set(pids):
            for d in (self.prev_ns, self.last_ran, self.runs, self.since):
                d.pop(gone, None)
        return out


def switching(qemu: tuple, executing_s: float) -> str:
    node, incoming = qemu
    return f'{node}+' if incoming and executing_s < SWITCH_OVER_S else node


def main() -> None:
    conf, spec, vm, out, pidfile = sys.argv[1:6]
    nets = {link: node for node, link in (a.split('=', 1) for a in sys.argv[6:])}
    pool, image = spec.split('/', 1)
    with open(pidfile, 'w') as f:
        f.write(f'{os.getpid()}\n')
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    cluster = rados.Rados(conffile=conf, rados_id='admin')
    cluster.connect(timeout=10)
    ioctx = cluster.open_ioctx(pool)
    execution = Execution()
    with rbd.Image(ioctx, image, read_only=True) as img, open(out, 'a', buffering=1) as f:
        while True:
            t = time.time()
            q = qemus(vm, nets)
            running = execution.executing(list(q), t)
            try:
                w = sorted(x['addr'] for x in img.watchers_list())
                ws = ','.join(w) or '-'
            except rbd.Error:
                ws = '?'
            nodes = ','.join(sorted(node for node, _ in q.values())) or '-'
            executing = ','.join(sorted(switching(q[p], s) for p, s in running.items())) or '-'
            f.write(f'{t:.3f} {nodes} {ws} {executing}\n')
            time.sleep(max(0.0, 0.2 - (time.time() - t)))


if __name__ == '__main__':
    main()
