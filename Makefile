# l2-prover — every target an operator or CI needs. `make help` lists them.
# Names from ethrex's prover guide (init-l2-prover, perf_test_proving, ...) are kept on purpose.

SHELL := /bin/bash
DENO  := node_modules/.bin/deno
CARGO ?= cargo
HOST_BIN := zkvm/target/release/zkvm-host
DATA_DIR ?= $(or $(PROVER_DATA_DIR),$(or $(XDG_DATA_HOME),$(HOME)/.local/share)/l2-prover)

.DEFAULT_GOAL := help
.PHONY: help setup deps host test lint fmt check run build clean-data docs fixtures \
        init-l2-prover init-l2-prover-gpu perf_test_proving perf_gpu bench

help: ## list targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort | column -t -s $$'\t'

setup: deps host ## install npm packages and build the zkVM host (release)

deps: node_modules/.package-lock.json ## install npm packages (deno, anvil, solc, libraries)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

host: ## build zkvm-host (exec backend)
	cd zkvm && $(CARGO) build --release --locked -p zkvm-host

test: setup ## run every test (Deno unit + end-to-end against real anvil, Rust); last line: tests: N passed, N failed
	@scripts/test.sh

check: deps ## format check, lint and type check (TypeScript and Rust)
	$(DENO) fmt --check
	$(DENO) lint
	$(DENO) check main.ts lib tests
	cd zkvm && $(CARGO) fmt --all --check
	cd zkvm && $(CARGO) clippy --locked --all-targets -- -D warnings

docs: deps ## regenerate the README's configuration table from the option specs
	$(DENO) run -A scripts/readme_config.ts --write
	$(DENO) fmt README.md

fixtures: deps ## regenerate tests/fixtures/inputs from the scenario chain on anvil
	$(DENO) run -A tests/scenarios/save_fixtures.ts

bench: setup ## benchmarks (not tests): witness building, prover-server, zkVM on fixtures; reports in bench-reports/
	$(DENO) run -A lib/witness/bench.ts
	$(DENO) run -A lib/server/bench.ts
	RISC0_DEV_MODE=1 $(DENO) run -A main.ts perf-test

fmt: deps ## format TypeScript and Rust
	$(DENO) fmt
	cd zkvm && $(CARGO) fmt --all

run: setup ## the system running locally: anvil L2 + tx generator + prover-server + prover-client
	$(DENO) run -A main.ts devnet

init-l2-prover: setup ## prover-client in dev mode (RISC0_DEV_MODE=1), server from PROVER_CLIENT_PROVER_SERVER_ENDPOINT
	RISC0_DEV_MODE=1 $(DENO) run -A main.ts prover-client

init-l2-prover-gpu: deps host-gpu ## prover-client proving on the GPU (RISC0_DEV_MODE=0, CUDA host)
	RISC0_DEV_MODE=0 $(DENO) run -A main.ts prover-client --backend risc0

perf_test_proving: setup ## execute fixture blocks in the zkVM without proving: cycles and time report
	RISC0_DEV_MODE=1 $(DENO) run -A main.ts perf-test

perf_gpu: deps host-gpu ## prove fixture blocks on the GPU: proving time, cycles/s, proof size
	RISC0_DEV_MODE=0 $(DENO) run -A main.ts perf-gpu

build: deps ## one self-contained executable in dist/ (needs the denort download, or DENORT_BIN)
	$(DENO) compile -A --output dist/l2-prover main.ts

clean-data: ## delete the proof store and work files in the data directory
	@echo "removing $(DATA_DIR)"
	rm -rf "$(DATA_DIR)"
