# Traceglass: run, build, test and benchmark. Each target installs what it needs and is
# missing (scripts/ensure-tools.sh), so a fresh machine needs nothing but these commands.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

CARGO_HOME ?= $(HOME)/.cargo
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_HOME)/bin:$(PATH)
# Trunk must use the tools installed here, never download its own.
export TRUNK_OFFLINE := true
export CHROMEDRIVER ?= /usr/bin/chromedriver
export CHROMIUM_PATH ?= /usr/bin/chromium
# wasm-bindgen-test-runner: allow a slow first start of Chromium on a busy machine.
export WASM_BINDGEN_TEST_TIMEOUT ?= 120
# The site names the crates' sources (in panic locations) by crate, not by where this machine
# keeps them (added to `.cargo/config.toml`'s flags for the wasm target).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS := --remap-path-prefix=$(CARGO_HOME)/registry/src/=

WASM := --target wasm32-unknown-unknown
# Optional: the Jaeger query service that `make run` proxies /api/ to, e.g. http://127.0.0.1:16686
JAEGER_URL ?=

.PHONY: run build test bench tools browser-tools lint test-native test-browser test-e2e clean

tools:
	@scripts/ensure-tools.sh build

browser-tools:
	@scripts/ensure-tools.sh browser

## make run: build and serve on http://127.0.0.1:8080 (proxying /api/ to $JAEGER_URL when set)
run: tools
	@echo "Traceglass: http://127.0.0.1:8080/ (opens the checkout sample)"
	@export TRACEGLASS_OPEN_ON_START='["samples/checkout.json"]'; \
	if [ -n "$(JAEGER_URL)" ]; then \
	  echo "Proxying /api/ to $(JAEGER_URL)/api/"; \
	  trunk serve --proxy-backend "$(JAEGER_URL)/api/" --proxy-rewrite /api/; \
	else \
	  trunk serve; \
	fi

## make build: the release site in dist/, then the gzip size of what the browser downloads
build: tools
	trunk build --release
	@scripts/report-size.sh dist

## make test: every check, from formatting to end-to-end tests in headless Chromium
test: tools browser-tools lint test-native test-browser test-e2e

lint:
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets --no-default-features -- -D warnings
	cargo clippy --lib --bins --test web --test browser_layout_bench $(WASM) -- -D warnings
	cargo clippy --bin traceglass --features split $(WASM) -- -D warnings
	cargo clippy --bin engine --no-default-features --features worker $(WASM) -- -D warnings

test-native:
	cargo test --no-default-features
	cargo test

test-browser:
	cargo test $(WASM) --test web

test-e2e: build
	node --test --test-concurrency=1 tests/e2e/

BENCH_TRACES := target/bench/traces
# Span counts of the generated Jaeger JSON traces; `otlp:N` is an OTLP JSON trace of N spans.
BENCH_SPANS ?= 10000 100000 300000 1000000 otlp:100000

## make bench: the benchmarks (native import throughput and memory, graph layout natively and in
## headless Chromium, and the browser benchmark of the release site: load, scroll, zoom, find)
bench: tools browser-tools
	cargo bench --no-default-features --bench import
	cargo bench --no-default-features --bench layout
	cargo test --release $(WASM) --test browser_layout_bench -- --nocapture
	cargo run --profile bench --no-default-features --example generate_traces -- $(BENCH_TRACES) $(BENCH_SPANS)
	$(MAKE) --no-print-directory build
	node tests/bench/browser.mjs $(BENCH_TRACES) $$(echo $(BENCH_SPANS) | tr ' ' ',')

clean:
	cargo clean
	rm -rf dist
