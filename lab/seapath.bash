# SPDX-License-Identifier: Apache-2.0
# shellcheck disable=SC2015 # `A && B || C` here means: C when A or B fails
# shellcheck shell=bash
# SEAPATH's surroundings on the lab nodes (sourced by lab/lab.sh; docs/lab-seapath.md):
#   - every node runs an sshd with its own host key, known to its peers (root's known_hosts), and
#     has the non-root user libvirtadmin (group libvirt, which owns libvirtd's socket) whose
#     authorized key is root's key of every node: live migration runs as on SEAPATH,
#     virsh migrate ... qemu+ssh://libvirtadmin@nodeX/system;
#   - SEAPATH's vm_manager, unmodified (lab/vendor/vm_manager), installed as SEAPATH installs it
#     (pip --no-build-isolation --no-deps --prefix=/usr, so under /usr/local), with small
#     stand-ins for what SEAPATH provides and the lab lacks: cephadm's `ceph orch host ls` and
#     /etc/cluster.conf.
# Scope: each node gets a private, writable /etc (an overlay on the host's: /etc/cluster.conf,
# /etc/ssh and /etc/pacemaker are the node's own) and /usr/local (a read-only overlay adding
# vm_manager and the stand-ins) in its mount namespace. On the host itself only the machine-wide
# accounts are created (group libvirt, user libvirtadmin, as libvirt.bash creates libvirt-qemu).
# Needs from lab.sh: LAB_ROOT, LAB_NODES, LAB_ADDR, REPO, in_node, node_dir, die, say.

SEAPATH_USER=libvirtadmin
SEAPATH_GROUP=libvirt
SEAPATH_DIR=$LAB_ROOT/seapath
# libvirtd's unix socket belongs to this group (libvirt.bash), as on Debian: libvirtadmin reaches
# qemu:///system through it (no polkitd runs here, so socket permissions are the access control).
export LIBVIRT_SOCK_GROUP=$SEAPATH_GROUP

# The accounts, machine-wide like every account (the nodes share the host's /etc/passwd).
seapath_accounts() {
  (
    flock -w 10 9 || exit 1
    getent group "$SEAPATH_GROUP" >/dev/null || groupadd -r "$SEAPATH_GROUP" || exit 1
    if ! getent passwd "$SEAPATH_USER" >/dev/null; then
      useradd -m -s /bin/sh -G "$SEAPATH_GROUP" "$SEAPATH_USER" || exit 1
      # No password at all ('*', not the locked '!'): sshd lets it in with a key only.
      usermod -p '*' "$SEAPATH_USER" || exit 1
    fi
  ) 9>/run/seapath-lab-accounts.lock
}

# vm_manager as SEAPATH installs it, into a layer that the nodes see as /usr/local.
seapath_install_vm_manager() {
  local layer=$SEAPATH_DIR/usr-local
  rm -rf "$SEAPATH_DIR/src" "$SEAPATH_DIR/pip"
  # pip builds in the source tree: a copy keeps lab/vendor/vm_manager pristine.
  cp -r "$REPO/lab/vendor/vm_manager" "$SEAPATH_DIR/src" || return 1
  (cd "$SEAPATH_DIR/src" && /usr/bin/python3 -m pip install --quiet --no-build-isolation --no-deps --no-index \
    --root="$SEAPATH_DIR/pip" --prefix=/usr . 2>"$SEAPATH_DIR/pip.log") || return 1
  # Debian's pip puts a /usr prefix install under /usr/local.
  mv "$SEAPATH_DIR/pip/usr/local" "$layer" || return 1
  ln -s vm_manager_cmd "$layer/bin/vm-mgr" # SEAPATH's name for it
  install -m 0755 "$REPO/lab/seapath-ceph-standin.sh" "$layer/bin/ceph" || return 1
}

# Per node: its /etc layer (cluster.conf, sshd config and host key) and root's ssh directory.
seapath_node_files() {
  local n=$1 etc=$SEAPATH_DIR/nodes/$1/etc-upper root=$SEAPATH_DIR/nodes/$1/root-ssh
  mkdir -p "$etc/ssh/authorized_keys" "$SEAPATH_DIR/nodes/$n/etc-work" "$root" || return 1
  chmod 0700 "$root"
  # vm_manager reads the observer host from [machines] (the lab has none).
  printf '[machines]\n' >"$etc/cluster.conf"
  ssh-keygen -q -t ed25519 -N '' -C "$n" -f "$etc/ssh/ssh_host_ed25519_key" || return 1
  ssh-keygen -q -t ed25519 -N '' -C "root@$n" -f "$root/id_ed25519" || return 1
  cat >"$etc/ssh/sshd_config" <<EOF
# lab node $n: libvirtadmin only, by key (SEAPATH's live-migration account)
ListenAddress ${LAB_ADDR[$n]}
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile none
UsePAM no
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile /etc/ssh/authorized_keys/%u
AllowUsers $SEAPATH_USER
AllowTcpForwarding no
X11Forwarding no
PrintMotd no
LogLevel VERBOSE
EOF
  # What root's ssh does for libvirt: never prompt, never accept an unknown host key.
  cat >"$root/config" <<EOF
Host *
  BatchMode yes
  StrictHostKeyChecking yes
  ConnectTimeout 10
  ServerAliveInterval 5
  ServerAliveCountMax 3
EOF
}

# Once every node's keys exist: each node knows its peers' host keys, and libvirtadmin on each
# node accepts root's key of every node.
seapath_trust() {
  local n m
  for n in "${LAB_NODES[@]}"; do
    for m in "${LAB_NODES[@]}"; do
      printf '%s,%s %s\n' "$m" "${LAB_ADDR[$m]}" "$(cut -d' ' -f1,2 "$SEAPATH_DIR/nodes/$m/etc-upper/ssh/ssh_host_ed25519_key.pub")"
    done >"$SEAPATH_DIR/nodes/$n/root-ssh/known_hosts"
    for m in "${LAB_NODES[@]}"; do cat "$SEAPATH_DIR/nodes/$m/root-ssh/id_ed25519.pub"; done \
      >"$SEAPATH_DIR/nodes/$n/etc-upper/ssh/authorized_keys/$SEAPATH_USER"
    chmod 0644 "$SEAPATH_DIR/nodes/$n/etc-upper/ssh/authorized_keys/$SEAPATH_USER"
  done
}

# lab up, before the nodes are prepared: accounts, vm_manager, every node's files.
seapath_setup() {
  local n
  seapath_accounts || die "cannot create the group $SEAPATH_GROUP and the user $SEAPATH_USER"
  mkdir -p "$SEAPATH_DIR" || die "$SEAPATH_DIR"
  seapath_install_vm_manager || die "cannot install vm_manager (see $SEAPATH_DIR/pip.log)"
  for n in "${LAB_NODES[@]}"; do seapath_node_files "$n" || die "ssh keys of $n"; done
  seapath_trust
}

# Inside node N's mount namespace: its private /etc and /usr/local, root's ssh directory. Runs
# first in prepare_node, so the bind mounts made after it (/etc/hosts, /etc/ceph, ...) sit on top;
# /etc/corosync, bound when the node was created, is bound again over the overlay.
seapath_mount_node() {
  local n=$1 d=$SEAPATH_DIR/nodes/$1
  [[ -d /root/.ssh ]] || install -d -m 0700 /root/.ssh # the mount point (root's usual ssh dir)
  in_node "$n" sh -c "
    mount -t overlay overlay -o 'lowerdir=/etc,upperdir=$d/etc-upper,workdir=$d/etc-work' /etc &&
    mount --bind '$(node_dir "$n")/fs/etc/corosync' /etc/corosync &&
    mount -t overlay overlay -o 'lowerdir=$SEAPATH_DIR/usr-local:/usr/local' /usr/local &&
    mount --bind '$d/root-ssh' /root/.ssh" || die "cannot mount $n's /etc, /usr/local and /root/.ssh"
}

# The listener: started as `/usr/sbin/sshd -D -E LOG`, retitled "sshd: ... [listener] ..." once it listens.
seapath_sshd_pid() {
  local p cmd
  for p in $(node_pids "$1"); do
    [[ $(readlink "/proc/$p/exe" 2>/dev/null) == /usr/sbin/sshd ]] && proc_alive "$p" || continue
    cmd=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)
    [[ $cmd == *'[listener]'* || $cmd == '/usr/sbin/sshd -D '* ]] && { echo "$p"; return 0; }
  done
  return 1
}

seapath_sshd_listening() { in_node "$1" ss -Hltn "sport = :22" | grep -q .; }

# sshd in the foreground (no systemd): one per node, in the node's namespaces, logging to its dir.
seapath_start_sshd() {
  local n=$1
  seapath_sshd_pid "$n" >/dev/null && return 0
  in_node "$n" install -d -m 0755 /run/sshd || return 1 # privilege separation directory
  # shellcheck disable=SC2094 # sshd -E appends to the log this subshell's output also goes to, by design
  (
    proc_close_fds
    exec setsid nsenter -t "$(node_pid "$n")" --net --mount --uts -- /usr/sbin/sshd -D -E "$SEAPATH_DIR/nodes/$n/sshd.log"
  ) </dev/null >>"$SEAPATH_DIR/nodes/$n/sshd.log" 2>&1 &
  disown $! 2>/dev/null
  wait_until 10 "sshd on $n" seapath_sshd_listening "$n"
}
