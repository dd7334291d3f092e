# SPDX-License-Identifier: Apache-2.0
# Whether two copies of a VM could write at once, from helpers/copies-sampler.py's samples: prints
# the largest number of copies that could write together. A copy writes while its QEMU executes
# the guest, through a watch from its node's address that was not blocklisted at that time.
#   awk -v ips=node1=IP,node2=IP,... -f writable-copies.awk BLOCKLIST SAMPLES
# BLOCKLIST: "ADDRESS EPOCH_ADDED" lines. SAMPLES: "EPOCH QEMU_NODES WATCHERS EXECUTING_NODES", an
# executing node written "NODE+" while it is a migration's target in its switch-over: a source and
# such a target writing together are one copy moving, not two. Every sample with two copies is
# printed on stderr. Prints 99 when QEMUs were seen but never one executing (the sampler cannot
# tell), or when two samples are more than MAXGAP s apart (default 3: the sampler was blind then),
# neither of which must pass for "no second copy".
BEGIN { n = split(ips, kv, ","); for (i = 1; i <= n; i++) { split(kv[i], p, "="); ip[p[1]] = p[2] } }
FILENAME == ARGV[1] { added[$1] = $2; next } # an empty BLOCKLIST must not swallow the samples
{
  if (sampled && $1 - last > (maxgap ? maxgap : 3)) { blind = blind " " last "-" $1 }
  sampled = 1; last = $1
  writable = 0; moving = 0; nq = split($2, q, ","); nw = split($3, w, ",")
  delete running; delete target
  ne = split($4, e, ",")
  for (i = 1; i <= ne; i++) { node = e[i]; if (sub(/\+$/, "", node)) target[node] = 1; running[node] = 1 }
  if ($2 != "-") seen_qemu = 1
  if ($4 != "-" && $4 != "") seen_executing = 1
  for (i = 1; i <= nq; i++) {
    if (q[i] == "-" || !(q[i] in running)) continue
    counted = 0
    if ($3 == "?") counted = 1 # watchers unknown: count the copy as writing
    for (j = 1; j <= nw && !counted; j++) {
      host = w[j]; sub(/:.*/, "", host)
      if (host == ip[q[i]] && !(w[j] in added && added[w[j]] <= $1)) counted = 1
    }
    if (counted) { writable++; if (q[i] in target) moving++ }
  }
  copies = (writable == 2 && moving == 1) ? 1 : writable
  if (copies > max) max = copies
  if (copies > 1) print "two writable copies at " $0 > "/dev/stderr"
}
END {
  if (!sampled) { print "no samples" > "/dev/stderr"; print 99; exit }
  if (blind != "") { print "the sampler was blind between samples at" blind > "/dev/stderr"; print 99; exit }
  if (seen_qemu && !seen_executing) { print "the sampler saw QEMUs but none executing" > "/dev/stderr"; print 99; exit }
  print max + 0
}
