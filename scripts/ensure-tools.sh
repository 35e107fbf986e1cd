#!/usr/bin/env bash
# Installs what the build and the tests need, each only when it is missing, from the package
# registries alone (crates.io, npm, Debian). Tools land in the user's cargo home and in
# node_modules/, so later runs find them and skip the work.
#
#   scripts/ensure-tools.sh build     Rust wasm target, Trunk, wasm-bindgen-cli, wasm-split-cli,
#                                     npm tools (wasm-opt)
#   scripts/ensure-tools.sh browser   Debian's chromium and chromium-driver, and nginx (the ingress test)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# Splits the page's WebAssembly into modules loaded on demand (ADR 0019). Its split points are
# those of `wasm_split_helpers` 0.2, the version Leptos' `#[lazy]` uses.
WASM_SPLIT_VERSION=0.2.4
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"

say() { printf '\033[1m[tools]\033[0m %s\n' "$*"; }

# The wasm-bindgen version the crate is locked to; the CLI must match it exactly.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if ! "$CARGO_BIN/trunk" --version 2>/dev/null | grep -q "trunk $TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION (a few minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  local version
  version=$(locked_wasm_bindgen_version)
  if [ -z "$version" ]; then
    echo "Cargo.lock names no wasm-bindgen version" >&2
    exit 1
  fi
  if ! "$CARGO_BIN/wasm-bindgen" --version 2>/dev/null | grep -q " $version\b" ||
    ! [ -x "$CARGO_BIN/wasm-bindgen-test-runner" ]; then
    say "installing wasm-bindgen-cli $version (a few minutes, once)"
    # Not --locked: the CLI's own lock file pins crates this toolchain cannot build.
    cargo install wasm-bindgen-cli --version "$version" --force
  fi
}

ensure_wasm_split() {
  if ! [ -x "$CARGO_BIN/wasm-split-cli" ] ||
    ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    say "installing wasm-split-cli $WASM_SPLIT_VERSION (a minute, once)"
    cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force
  fi
}

ensure_node_modules() {
  if ! [ -x node_modules/.bin/wasm-opt ] || ! [ -d node_modules/playwright-core ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm tools (binaryen's wasm-opt, playwright-core)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_browser() {
  if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # nginx plays the ingress in the end-to-end tests, which start their own instance on loopback;
  # the package's service must not start (policy-rc.d refuses it during the install).
  if ! [ -x /usr/sbin/nginx ]; then
    say "installing Debian's nginx (for the ingress test; its service stays stopped)"
    local policy=/usr/sbin/policy-rc.d placed=""
    if ! [ -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null && as_root chmod +x "$policy" && placed=1
    fi
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nginx-light >/dev/null
    if [ -n "$placed" ]; then as_root rm -f "$policy"; fi
  fi
}

case "${1:-}" in
  build)
    ensure_wasm_target
    ensure_trunk
    ensure_wasm_bindgen
    ensure_wasm_split
    ensure_node_modules
    ;;
  browser)
    ensure_browser
    ;;
  *)
    echo "usage: $0 build|browser" >&2
    exit 2
    ;;
esac
