#!/bin/sh
# Trunk post-build hook: names the page's split WebAssembly folder (`page-<hash>/`, written by
# `scripts/build-page.sh`) in index.html, where its script and preloads say `./PAGE/`.
set -eu
staging=${TRUNK_STAGING_DIR:?run by Trunk as a post-build hook}
page="$staging/index.html"
folder=$(cd "$staging" && ls -d page-* 2>/dev/null | head -n 1)
if [ -z "$folder" ] || ! [ -f "$staging/$folder/traceglass_bg.wasm" ]; then
  echo "page-links: no page-<hash>/ folder with the page's WebAssembly in $staging" >&2
  exit 1
fi
sed -i "s|\./PAGE/|./$folder/|g" "$page"
if grep -q '\./PAGE/' "$page"; then
  echo "page-links: index.html still names ./PAGE/" >&2
  exit 1
fi
exit 0
