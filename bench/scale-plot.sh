#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Cost against N from bench/scale.sh's data, as an SVG written directly (no plotting dependency):
# one panel per figure, stock and ours as two lines, each point labelled with its value.
# usage: scale-plot.sh DATA.tsv OUT.svg
set -euo pipefail
data=${1:?usage: scale-plot.sh DATA.tsv OUT.svg}
out=${2:?usage: scale-plot.sh DATA.tsv OUT.svg}
awk -F'\t' '
  BEGIN {
    split("3 4 11 6 8 10", col, " ")
    split("cold start s|cold start: agents CPU s|peak agents PSS MiB|steady: agents CPU s/min|node death: VMs back s|drain s", title, "|")
    P = 6; W = 300; H = 220; M = 40
  }
  /^#/ || $3 == "failed" { next }
  {
    f = ($2 == "seapath") ? "ours" : $2
    ns[$1] = 1; if ($1 > maxn) maxn = $1
    for (i = 1; i <= P; i++) { v[f, $1, i] = $col[i]; if ($col[i] > maxv[i]) maxv[i] = $col[i] }
    fl[f] = 1
  }
  END {
    if (maxn == 0) { print "scale-plot: no data" > "/dev/stderr"; exit 1 }
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n",
      3 * W, 2 * H + 30
    printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
    printf "<text x=\"10\" y=\"18\" font-size=\"13\">Cost against N (VMs): stock agents (red) and ours (blue); x: N, y: from 0</text>\n"
    n = 0; for (k in ns) xs[++n] = k + 0
    for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) if (xs[b] < xs[a]) { t = xs[a]; xs[a] = xs[b]; xs[b] = t }
    color["stock"] = "#c0392b"; color["ours"] = "#2471a3"
    for (i = 1; i <= P; i++) {
      ox = ((i - 1) % 3) * W; oy = 30 + int((i - 1) / 3) * H
      x0 = ox + M; y0 = oy + H - M; pw = W - 2 * M + 10; ph = H - 2 * M
      top = maxv[i] > 0 ? maxv[i] * 1.15 : 1
      printf "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>\n", ox + M, oy + 16, title[i]
      printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", x0, y0, x0 + pw, y0
      printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", x0, y0, x0, y0 - ph
      printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.3g</text>\n", x0 - 3, y0 - ph + 4, top
      printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", x0 - 3, y0 + 4
      for (a = 1; a <= n; a++) {
        px[a] = x0 + (maxn > 0 ? xs[a] / maxn : 0) * (pw - 10)
        printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", px[a], y0 + 14, xs[a]
      }
      for (f in fl) {
        pts = ""
        for (a = 1; a <= n; a++) {
          if (!((f, xs[a], i) in v)) continue
          py = y0 - v[f, xs[a], i] / top * ph
          pts = pts sprintf("%.1f,%.1f ", px[a], py)
          printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", px[a], py, color[f]
          printf "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" font-size=\"9\">%s</text>\n",
            px[a] + 4, py + (f == "ours" ? 10 : -4), color[f], v[f, xs[a], i]
        }
        printf "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n", pts, color[f]
      }
    }
    print "</svg>"
  }' "$data" >"$out.tmp"
mv "$out.tmp" "$out"
