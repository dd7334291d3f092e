// SPDX-License-Identifier: Apache-2.0
// harden: runs a command under what SEAPATH's pacemaker.service applies, without systemd.
//   MemoryDenyWriteExecute=yes          prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN)
//   CapabilityBoundingSet=<caps>         prctl(PR_CAPBSET_DROP) of every other capability
//   NoNewPrivileges=yes                  prctl(PR_SET_NO_NEW_PRIVS)
//   SystemCallFilter=@system-service     seccomp allow-list, any other syscall kills the process
// Each one fails loudly: a wrapper that silently applies nothing would make every test pass.
// --systemd-seccomp adds the seccomp rules by which systemd 252 (Debian 12) enforces
// MemoryDenyWriteExecute=yes and RestrictNamespaces=yes, stricter than PR_SET_MDWE: any mprotect()
// asking for PROT_EXEC is refused, no namespace can be entered or made, and clone3 (whose flags a
// filter cannot read) answers ENOSYS, so that glibc falls back to clone.
//
// usage: harden [--syscalls FILE] [--caps CAP,CAP...] [--systemd-seccomp] [--] CMD [ARG...]
//   --syscalls  allow-list, one name a line, '#' comments (default: system-service.syscalls,
//               compiled in; lab/harden/gen-syscalls.sh regenerates it)
//   --caps      bounding set (default: Debian's drop-in, chown,dac_override,kill,setgid,setuid,
//               net_admin,setpcap; "" keeps none)
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME // Linux 5.6
#define CLONE_NEWTIME 0x80
#endif
#ifndef PR_SET_MDWE // Linux 6.3; Debian 12's headers are 6.1
#define PR_SET_MDWE 65
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif

static const char system_service[] =
#include "system-service.inc"
    ;
static const char debian_caps[] = "chown,dac_override,kill,setgid,setuid,net_admin,setpcap";

// linux/capability.h, indexed by number (a stable ABI); systemd's names without the cap_ prefix.
static const char *const cap_names[] = {
    "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid",
    "setpcap", "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw",
    "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
    "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod",
    "lease", "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog",
    "wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
};

static void die(const char *what) {
  fprintf(stderr, "harden: %s: %s\n", what, strerror(errno));
  exit(127);
}

static void usage(const char *why) {
  fprintf(stderr, "harden: %s\nusage: harden [--syscalls FILE] [--caps CAP,CAP...] [--systemd-seccomp] [--] CMD [ARG...]\n", why);
  exit(2);
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) die(path);
  size_t cap = 1 << 16, len = 0, n;
  char *buf = malloc(cap);
  if (!buf) die("malloc");
  while ((n = fread(buf + len, 1, cap - 1 - len, f)) > 0) {
    len += n;
    if (len == cap - 1 && !(buf = realloc(buf, cap *= 2))) die("realloc");
  }
  if (ferror(f)) die(path);
  fclose(f);
  buf[len] = '\0';
  return buf;
}

static int cap_number(const char *name) {
  if (strncmp(name, "cap_", 4) == 0) name += 4;
  for (size_t i = 0; i < sizeof cap_names / sizeof cap_names[0]; i++)
    if (strcmp(cap_names[i], name) == 0) return (int)i;
  fprintf(stderr, "harden: unknown capability '%s'\n", name);
  exit(2);
}

static int last_cap(void) {
  char *s = read_file("/proc/sys/kernel/cap_last_cap");
  int n = atoi(s);
  free(s);
  return n;
}

static void bound_capabilities(const char *list) {
  unsigned long long keep = 0;
  char *copy = strdup(list), *save = NULL;
  if (!copy) die("strdup");
  for (char *name = strtok_r(copy, ", ", &save); name; name = strtok_r(NULL, ", ", &save))
    keep |= 1ULL << cap_number(name);
  free(copy);
  for (int cap = last_cap(); cap >= 0; cap--)
    if (!(keep & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) die("PR_CAPBSET_DROP");
}

// Names this libseccomp does not know on this architecture are skipped, as systemd skips them.
static void load_syscall_filter(char *list) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
  if (!ctx) usage("seccomp_init failed");
  int allowed = 0, rc;
  char *save = NULL;
  for (char *line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    line += strspn(line, " \t");
    if (*line == '\0' || *line == '#') continue;
    int nr = seccomp_syscall_resolve_name(line);
    if (nr == __NR_SCMP_ERROR) continue;
    if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0)) != 0) {
      errno = -rc;
      die(line);
    }
    allowed++;
  }
  if (allowed == 0) usage("the syscall allow-list is empty");
  if ((rc = seccomp_load(ctx)) != 0) {
    errno = -rc;
    die("seccomp_load");
  }
  seccomp_release(ctx);
}

static void must(int rc, const char *what) {
  if (rc != 0) {
    errno = -rc;
    die(what);
  }
}

static void load_systemd_rules(void) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) usage("seccomp_init failed");
  const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
  must(seccomp_rule_add(ctx, eperm, SCMP_SYS(mmap), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_WRITE | PROT_EXEC, PROT_WRITE | PROT_EXEC)),
       "mmap rule");
  must(seccomp_rule_add(ctx, eperm, SCMP_SYS(mprotect), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC)), "mprotect rule");
  must(seccomp_rule_add(ctx, eperm, SCMP_SYS(pkey_mprotect), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC)),
       "pkey_mprotect rule");
  must(seccomp_rule_add(ctx, eperm, SCMP_SYS(shmat), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, SHM_EXEC, SHM_EXEC)), "shmat rule");
  static const unsigned long namespaces[] = {CLONE_NEWNS,  CLONE_NEWUTS,    CLONE_NEWIPC, CLONE_NEWUSER,
                                             CLONE_NEWPID, CLONE_NEWCGROUP, CLONE_NEWNET, CLONE_NEWTIME};
  for (size_t i = 0; i < sizeof namespaces / sizeof namespaces[0]; i++) {
    must(seccomp_rule_add(ctx, eperm, SCMP_SYS(unshare), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, namespaces[i], namespaces[i])), "unshare rule");
    must(seccomp_rule_add(ctx, eperm, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, namespaces[i], namespaces[i])), "clone rule");
  }
  must(seccomp_rule_add(ctx, eperm, SCMP_SYS(setns), 0), "setns rule");
  must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0), "clone3 rule");
  must(seccomp_load(ctx), "seccomp_load (systemd rules)");
  seccomp_release(ctx);
}

int main(int argc, char **argv) {
  const char *syscalls_file = NULL, *caps = debian_caps;
  int systemd_rules = 0;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--") == 0) { i++; break; }
    if (strcmp(argv[i], "--systemd-seccomp") == 0) { systemd_rules = 1; continue; }
    if (i + 1 >= argc) usage("option without a value");
    if (strcmp(argv[i], "--syscalls") == 0) syscalls_file = argv[++i];
    else if (strcmp(argv[i], "--caps") == 0) caps = argv[++i];
    else usage("unknown option");
  }
  if (i >= argc) usage("no command");
  char *list = syscalls_file ? read_file(syscalls_file) : strdup(system_service);
  if (!list) die("strdup");

  bound_capabilities(caps);
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("PR_SET_NO_NEW_PRIVS");
  if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0) die("PR_SET_MDWE (Linux >= 6.3)");
  if (systemd_rules) load_systemd_rules();
  load_syscall_filter(list); // last: from here on, only the allowed syscalls
  execvp(argv[i], argv + i);
  die(argv[i]);
}
