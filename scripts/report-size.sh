#!/usr/bin/env bash
# Prints the size, raw and gzip-compressed, of the wasm and JavaScript in a built site.
set -euo pipefail
dist=${1:-dist}
total_raw=0
total_gzip=0
printf '%-48s %12s %12s\n' "file" "bytes" "gzip bytes"
for file in "$dist"/*.wasm "$dist"/*.js; do
  [ -e "$file" ] || continue
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  total_raw=$((total_raw + raw))
  total_gzip=$((total_gzip + gz))
  printf '%-48s %12d %12d\n' "$(basename "$file")" "$raw" "$gz"
done
printf '%-48s %12d %12d\n' "total (wasm + js)" "$total_raw" "$total_gzip"
