#!/bin/sh
# Trunk pre-build hook: builds the page's WebAssembly and splits it (ADR 0019). The page's
# pages in `ui::pages` are split points: `wasm-split-cli` cuts the module there into the one
# the page starts with and modules fetched when a page is first shown, and writes the script
# that fetches them. Then wasm-bindgen makes the page's JavaScript (keeping the function table
# the split modules share) and, in release builds, wasm-opt shrinks every module.
#
# Everything goes to a folder of the staging site named by its content's hash, `page-<hash>/`,
# so a new build is never mixed with a cached old one; `scripts/page-links.sh` (post-build) names
# it in index.html. Trunk cannot do this itself: the split must come before wasm-bindgen.
set -eu

profile=${TRUNK_PROFILE:-debug}
staging=${TRUNK_STAGING_DIR:?run by Trunk as a pre-build hook}
target_dir=${CARGO_TARGET_DIR:-target}
work="$target_dir/page-split"

release=""
[ "$profile" = release ] && release="--release"
# The linker keeps its relocations, which the split reads: a flag for the binary's link alone
# (`cargo rustc`), so the crates it uses build as for every other wasm build and stay shared.
# shellcheck disable=SC2086
cargo rustc --target wasm32-unknown-unknown --bin traceglass --features split $release -- -C link-args=--emit-relocs

rm -rf "$work"
mkdir -p "$work/split" "$work/page"
wasm-split-cli "$target_dir/wasm32-unknown-unknown/$profile/traceglass.wasm" "$work/split" --out-name traceglass
wasm-bindgen --target web --keep-lld-exports --no-typescript --out-dir "$work/page" "$work/split/traceglass.wasm"
cp "$work/split/__wasm_split.js" "$work/page/"
for module in "$work/split"/*.wasm; do
  [ "$(basename "$module")" = traceglass.wasm ] && continue
  cp "$module" "$work/page/"
done
if [ "$profile" = release ]; then
  for module in "$work/page"/*.wasm; do
    wasm-opt -Oz --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types \
      "$module" -o "$module.opt"
    mv "$module.opt" "$module"
  done
fi

hash=$(cat "$work/page"/* | sha256sum | cut -c 1-16)
rm -rf "$staging"/page-*
cp -r "$work/page" "$staging/page-$hash"
