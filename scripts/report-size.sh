#!/usr/bin/env bash
# Prints the size, raw and gzip-compressed, of the wasm and JavaScript in a built site: what the
# page loads at start-up, the page's modules fetched when one of its pages is first shown (ADR
# 0019), and the engine's worker.
set -euo pipefail
dist=${1:-dist}
printf '%-48s %12s %12s\n' "file" "bytes" "gzip bytes"
report() {
  local label=$1 total_raw=0 total_gzip=0 file raw gz
  shift
  for file in "$@"; do
    [ -e "$file" ] || continue
    raw=$(stat -c %s "$file")
    gz=$(gzip -9 -c "$file" | wc -c)
    total_raw=$((total_raw + raw))
    total_gzip=$((total_gzip + gz))
    printf '%-48s %12d %12d\n' "${file#"$dist"/}" "$raw" "$gz"
  done
  printf '%-48s %12d %12d\n' "$label" "$total_raw" "$total_gzip"
}
page=$(find "$dist" -maxdepth 1 -type d -name 'page-*' | head -n 1)
if [ -z "$page" ]; then
  echo "report-size: no page-<hash>/ folder in $dist" >&2
  exit 1
fi
report "page at start-up (wasm + js)" "$dist/boot.js" "$page/traceglass.js" "$page/__wasm_split.js" "$page/traceglass_bg.wasm"
mapfile -t on_demand < <(find "$page" -name '*.wasm' ! -name traceglass_bg.wasm | sort)
report "page's modules fetched on demand" "${on_demand[@]}"
report "engine worker (wasm + js)" "$dist/engine_loader.js" "$dist/engine.js" "$dist/engine_bg.wasm"
