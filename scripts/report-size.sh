#!/usr/bin/env bash
# Prints the size, raw and gzip-compressed, of the wasm and JavaScript in a built site: what the
# page loads at start-up, and the engine's worker, fetched when the first file is opened.
set -euo pipefail
dist=${1:-dist}
printf '%-48s %12s %12s\n' "file" "bytes" "gzip bytes"
for part in page engine; do
  total_raw=0
  total_gzip=0
  for file in "$dist"/*.wasm "$dist"/*.js; do
    [ -e "$file" ] || continue
    case "$(basename "$file")" in
      engine*) [ "$part" = engine ] || continue ;;
      *) [ "$part" = page ] || continue ;;
    esac
    raw=$(stat -c %s "$file")
    gz=$(gzip -9 -c "$file" | wc -c)
    total_raw=$((total_raw + raw))
    total_gzip=$((total_gzip + gz))
    printf '%-48s %12d %12d\n' "$(basename "$file")" "$raw" "$gz"
  done
  label="page at start-up (wasm + js)"
  [ "$part" = engine ] && label="engine worker (wasm + js)"
  printf '%-48s %12d %12d\n' "$label" "$total_raw" "$total_gzip"
done
