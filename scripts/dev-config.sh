#!/bin/sh
# Trunk post-build hook. `make run` sets TRACEGLASS_OPEN_ON_START to a JSON list of traces to open
# when the address names none (the samples); release builds leave config.json as it is.
set -eu
[ -n "${TRACEGLASS_OPEN_ON_START:-}" ] || exit 0
config="${TRUNK_STAGING_DIR:?}/config.json"
sed -i "s|\"openOnStart\": \[\]|\"openOnStart\": ${TRACEGLASS_OPEN_ON_START}|" "$config"
grep -q '"openOnStart": \[\]' "$config" && { echo "dev-config: openOnStart not set" >&2; exit 1; }
exit 0
