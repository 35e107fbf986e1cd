#!/bin/sh
# Trunk post-build hook. Trunk writes an `integrity` attribute on the page's WebAssembly
# preload; Chromium cannot check it for that kind of preload, ignores it and warns in the
# console at every start. The attribute is removed from that one link (the module's script
# keeps its own).
set -eu
page="${TRUNK_STAGING_DIR:?}/index.html"
sed -i -E 's|(<link rel="preload" href="[^"]*_bg\.wasm" crossorigin="anonymous") integrity="[^"]*"|\1|' "$page"
if grep -Eq '<link rel="preload" href="[^"]*_bg\.wasm"[^>]* integrity=' "$page"; then
  echo "wasm-preload: the WebAssembly preload still has an integrity attribute" >&2
  exit 1
fi
exit 0
