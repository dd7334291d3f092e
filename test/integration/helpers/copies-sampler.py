#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Samples, every 0.2 s, which nodes run a QEMU of a VM and which clients watch its RBD image.

usage: copies-sampler.py CEPH_CONF POOL/IMAGE VM OUT PIDFILE NODE=NETNS_LINK...

Writes one line per sample to OUT: "EPOCH QEMU_NODES WATCHERS" (comma lists, "-" for none).
A QEMU belongs to the node whose network namespace it runs in (NETNS_LINK is the node's
`readlink /proc/PID/ns/net`). Run it where the Ceph mon is reachable; stop it with SIGTERM.
One process with one Ceph connection: a sample costs milliseconds, where `rbd status` costs a
process start and a Ceph handshake.
"""
import os
import signal
import sys
import time

import rados
import rbd


def qemu_nodes(vm: str, nets: dict) -> list:
    nodes = []
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
        nodes.append(nets.get(net, f'pid{pid}'))
    return sorted(nodes)


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
    with rbd.Image(ioctx, image, read_only=True) as img, open(out, 'a', buffering=1) as f:
        while True:
            t = time.time()
            q = qemu_nodes(vm, nets)
            try:
                w = sorted(x['addr'] for x in img.watchers_list())
                ws = ','.join(w) or '-'
            except rbd.Error:
                ws = '?'
            f.write(f'{t:.3f} {",".join(q) or "-"} {ws}\n')
            time.sleep(max(0.0, 0.2 - (time.time() - t)))


if __name__ == '__main__':
    main()
