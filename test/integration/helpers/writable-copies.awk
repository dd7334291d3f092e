# SPDX-License-Identifier: Apache-2.0
# The largest number of copies of a VM that could write together for HOLD seconds or more, from
# helpers/copies-sampler.py's samples. A copy writes while its QEMU executes the guest, through a
# watch from its node's address that was not blocklisted at that time.
#   awk -v ips=node1=IP,node2=IP,... -v hold=S -f writable-copies.awk BLOCKLIST SAMPLES
# BLOCKLIST: "ADDRESS EPOCH_ADDED" lines. SAMPLES: "EPOCH QEMU_NODES WATCHERS EXECUTING_NODES".
# Copies writing together for less than HOLD are a live migration's switch-over; each longer overlap
# is printed on stderr. Prints 99 when QEMUs were seen but never one executing: the sampler cannot
# tell, which must not pass for "no second copy".
BEGIN { n = split(ips, kv, ","); for (i = 1; i <= n; i++) { split(kv[i], p, "="); ip[p[1]] = p[2] } }
FILENAME == ARGV[1] { added[$1] = $2; next } # an empty BLOCKLIST must not swallow the samples
{
  writable = 0; nq = split($2, q, ","); nw = split($3, w, ",")
  delete running; ne = split($4, e, ","); for (i = 1; i <= ne; i++) running[e[i]] = 1
  if ($2 != "-") seen_qemu = 1
  if ($4 != "-" && $4 != "") seen_executing = 1
  for (i = 1; i <= nq; i++) {
    if (q[i] == "-" || !(q[i] in running)) continue
    if ($3 == "?") { writable++; continue } # watchers unknown: count the copy as writing
    for (j = 1; j <= nw; j++) {
      host = w[j]; sub(/:.*/, "", host)
      if (host == ip[q[i]] && !(w[j] in added && added[w[j]] <= $1)) { writable++; break }
    }
  }
  if (writable < 2) { since = ""; if (writable > max) max = writable; next }
  if (since == "") since = $1
  if ($1 - since < hold) next
  if (writable > max) max = writable
  print "two writable copies for " $1 - since " s at " $0 > "/dev/stderr"
}
END {
  if (seen_qemu && !seen_executing) { print "the sampler saw QEMUs but none executing" > "/dev/stderr"; print 99; exit }
  print max + 0
}
