# l2-prover — every target an operator or CI needs. `make help` lists them.
# Names from ethrex's prover guide (init-l2-prover, perf_test_proving, ...) are kept on purpose.

SHELL := /bin/bash
DENO  := node_modules/.bin/deno
CARGO ?= cargo
HOST_BIN := zkvm/target/release/zkvm-host
DATA_DIR ?= $(or $(PROVER_DATA_DIR),$(or $(XDG_DATA_HOME),$(HOME)/.local/share)/l2-prover)

.DEFAULT_GOAL := help
.PHONY: help setup deps host geth tmux test test-faults test-eest lint fmt check run run-devnet build dist clean-data docs fixtures \
        init-l2-prover init-l2-prover-gpu perf_test_proving perf_gpu bench contracts

help: ## list targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort | column -t -s $$'\t'

setup: deps host geth tmux ## install npm packages, build the zkVM host (release), install the pinned geth and tmux

deps: node_modules/.package-lock.json ## install npm packages (deno, anvil, solc, libraries)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# A spec node for the end-to-end tests (tests/geth): geth from the Go module proxy, pinned, into the
# work directory; skipped when that version is already there. Needs Go >= 1.24.
GETH_VERSION ?= v1.17.10
GETH_BIN := .work/bin/geth
geth: $(GETH_BIN) ## install the pinned geth (GETH_VERSION) into .work/bin from the Go module proxy

$(GETH_BIN):
	@command -v go >/dev/null || { echo "geth: go not found: install Go >= 1.24 (the geth tests are skipped without it)"; exit 0; }
	mkdir -p .work/bin
	GOBIN="$(CURDIR)/.work/bin" nice go install github.com/ethereum/go-ethereum/cmd/geth@$(GETH_VERSION)

# tmux runs `up` on a terminal in the live-view test (tests/e2e/up_test.ts, skipped without it).
# From apt when missing (root, or sudo without a password); never fails setup.
SUDO = $(if $(filter 0,$(shell id -u)),,sudo -n)
tmux: ## install tmux with apt-get when it is missing (the up live-view test needs it)
	@command -v tmux >/dev/null || { command -v apt-get >/dev/null && \
	  { $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux || \
	    { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux; }; }; } || \
	  echo "tmux: not installed (apt-get missing or not allowed): the up live-view test is skipped"

# HOST_FEATURES=risc0 (or cuda) makes every build of zkvm-host, tests included, carry that
# backend, so no later target swaps the binary for an exec-only one.
HOST_FEATURES ?=
HOST_FEATURE_FLAGS = $(if $(HOST_FEATURES),--features zkvm-host/$(HOST_FEATURES))

host: ## build zkvm-host (exec backend; HOST_FEATURES=risc0 adds the zkVM backend)
	$(if $(HOST_FEATURES),$(RISC0_HOST_ENV)) CARGO="$(CARGO)" scripts/build-host.sh --release --locked -p zkvm-host $(HOST_FEATURE_FLAGS)

test: setup ## run every test (Deno unit + end-to-end against real anvil, Rust); last line: tests: N passed, N failed
	@$(if $(HOST_FEATURES),$(RISC0_HOST_ENV)) HOST_FEATURE_FLAGS="$(HOST_FEATURE_FLAGS)" scripts/test.sh

# The fault suite (tests/faults, also part of make test): a silent server, SIGTERM mid-exchange,
# kill -9 with a running host, damaged proof files and lease journal, an unprovable block,
# anvil_reorg, an L2 outage, a full data dir (a tmpfs, where mount is permitted), and with
# settlement an L2 that is not the chain committed on L1 and an L1 outage. Each case adds a row
# to the fault matrix printed at the end.
test-faults: deps ## the fault suite (kill -9, anvil_reorg, damaged store, full disk, L2 vs L1 hashes, outages); prints the fault matrix
	@m=$$(mktemp); FAULT_MATRIX=$$m NO_COLOR=1 $(DENO) test -A tests/faults/; t=$$?; \
	  echo; $(DENO) run -A scripts/fault_matrix.ts $$m; f=$$?; rm -f $$m; exit $$((t | f))

# Ethereum's execution-spec-tests blockchain fixtures, straight from a copy of the published set:
# EEST_FIXTURES is a directory of fixture JSON (e.g. an unpacked release's blockchain_tests/) or a
# git repository holding them (read without a work tree, folder blockchain_tests/). EEST_ARGS adds
# runner options (--prefix blockchain_tests/cancun, --filter eip4844, --jobs 4, --strict).
EEST_FIXTURES ?=
EEST_ARGS ?=
test-eest: ## EEST blockchain tests from EEST_FIXTURES on the executor: pass/fail/skip per fork and failure class
	@test -n "$(EEST_FIXTURES)" || { echo "test-eest: set EEST_FIXTURES to the fixtures (a directory or a git repository)"; exit 2; }
	cd zkvm && nice $(CARGO) build --release --locked -p zkvm-eest
	EEST_FIXTURES="$(EEST_FIXTURES)" zkvm/target/release/eest run $(EEST_ARGS)

check: deps ## format check, lint and type check (TypeScript and Rust)
	$(DENO) fmt --check
	$(DENO) lint
	$(DENO) check main.ts lib tests bench
	cd zkvm && $(CARGO) fmt --all --check
	cd zkvm && $(CARGO) clippy --locked --all-targets -- -D warnings

docs: deps ## regenerate the README's configuration table from the option specs
	$(DENO) run -A scripts/readme_config.ts --write
	$(DENO) fmt README.md

contracts: deps ## compile the settlement contracts (risc0's from the risc0-ethereum-contracts crate) into contracts/build/artifacts.ts
	$(DENO) run -A contracts/build.ts

fixtures: deps ## regenerate tests/fixtures/inputs (scenario blocks on anvil, and geth with make geth) and tests/fixtures/perf (1-30 Mgas blocks, a 10-block batch)
	$(DENO) run -A tests/scenarios/save_fixtures.ts
	$(DENO) run -A tests/scenarios/workloads.ts

bench: setup ## benchmarks (not tests): witness building, prover-server (latency; CPU and memory with 50 clients), settlement gas, zkVM on fixtures; reports and an index page in bench-reports/
	$(DENO) run -A bench/witness.ts
	$(DENO) run -A bench/prover_server.ts
	$(DENO) run -A bench/settlement_gas.ts
	RISC0_DEV_MODE=1 $(DENO) run -A main.ts perf-test
	RISC0_DEV_MODE=1 $(DENO) run -A bench/batch_cycles.ts 10 4
	$(DENO) run -A bench/server_load.ts --clients 50 --blocks 200
	$(DENO) run -A bench/index.ts bench-reports

fmt: deps ## format TypeScript and Rust
	$(DENO) fmt
	cd zkvm && $(CARGO) fmt --all

run: setup ## the whole system locally: L1 + L2 anvils, contracts, committer, server, provers (up)
	$(DENO) run -A main.ts up

run-devnet: setup ## the older devnet: anvil L2 + tx generator + prover-server + prover-client, no L1
	$(DENO) run -A main.ts devnet

init-l2-prover: setup ## prover-client in dev mode (RISC0_DEV_MODE=1), server from PROVER_CLIENT_PROVER_SERVER_ENDPOINT
	RISC0_DEV_MODE=1 $(DENO) run -A main.ts prover-client

init-l2-prover-gpu: deps host-gpu ## prover-client proving on the GPU (RISC0_DEV_MODE=0, CUDA host)
	RISC0_DEV_MODE=0 $(DENO) run -A main.ts prover-client --backend risc0

perf_test_proving: setup ## execute fixture blocks in the zkVM without proving: cycles and time report
	RISC0_DEV_MODE=1 $(DENO) run -A main.ts perf-test

perf_gpu: deps ## prove fixture blocks on the GPU: proving time, cycles/s, proof size, GPU memory (fails fast without a GPU)
	@nvidia-smi -L 2>/dev/null | grep -q '^GPU ' || { echo "perf_gpu: no CUDA device (nvidia-smi is missing or lists no GPU); make perf_test_proving runs the same fixtures without one"; exit 4; }
	$(MAKE) host-gpu
	RISC0_DEV_MODE=0 $(DENO) run -A main.ts perf-gpu

build: deps ## one self-contained executable, dist/l2-prover (needs the denort download, or DENORT_BIN)
	@scripts/build.sh build

dist: deps ## release folder + tarball for a GPU box: l2-prover, zkvm-host, guest, .env.example, SHA256SUMS
	@scripts/build.sh dist

clean-data: ## delete the data directory: proof store, work files, and up's chains and deployment (make run starts afresh)
	@echo "removing $(DATA_DIR)"
	rm -rf "$(DATA_DIR)"

risc0-deps: ## install the rzup-free guest toolchain from Debian (rustc-web, cargo-web, rust-web-src, lld-22, clang)
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	$(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rustc-web cargo-web rust-web-src lld-22 clang

# --- RISC Zero guest and risc0 host (zkvm/guest/README.md) ---------------------------------
# The guest builds without rzup (Debian's rustc-web + -Z build-std); the risc0 host compiles
# risc0's C++ prover kernels. ZKVM_OFFLINE=1: machines that cannot reach risc0's S3 bucket
# (risc0-circuit-recursion's build script downloads recursion_zkr.zip) build without the
# recursion programs: dev mode and composite proofs work, succinct/groth16 exit 4.
# HOST_CXXFLAGS=-O0 compiles the C++ kernels in minutes instead of most of an hour; dev mode
# never runs them, proving does (slowly): CI uses it, provers must not.
RISC0_HOST_ENV = $(if $(ZKVM_OFFLINE),DOCS_RS=1) $(if $(HOST_CXXFLAGS),CXXFLAGS="$(HOST_CXXFLAGS)" CFLAGS="$(HOST_CXXFLAGS)")
.PHONY: guest guest-rzup host-risc0 host-gpu test-guest test-prove risc0-build check-risc0 test-risc0

guest: ## build the zkVM guest without rzup: zkvm/guest/out/guest.bin + image-id.txt (needs rustc-web, cargo-web, rust-web-src, lld-22)
	scripts/build-guest.sh

guest-rzup: ## build the guest with rzup's risc0 toolchain instead (machines that have rzup), same outputs
	scripts/build-guest.sh --rzup

host-risc0: ## build zkvm-host with the risc0 backend (CPU prover, dev mode)
	$(RISC0_HOST_ENV) CARGO="$(CARGO)" scripts/build-host.sh --release --locked -p zkvm-host --features risc0

# CUDA_HOME: the toolkit (scripts/cuda-toolkit.sh assembles one from PyPI). CUDA_ARCH: the GPU to
# build for (sm_90: H100/H200); unset, risc0 asks nvcc for the build machine's own GPU.
# ZKVM_OFFLINE's DOCS_RS=1 also stops cust from linking libcuda, so it is named here instead.
CUDA_HOME ?= $(or $(CUDA_PATH),/usr/local/cuda)
CUDA_ARCH ?=
CUDA_ENV = PATH="$(CUDA_HOME)/bin:$$PATH" CUDA_PATH="$(CUDA_HOME)" \
  $(if $(CUDA_ARCH),NVCC_APPEND_FLAGS="-arch=$(CUDA_ARCH)") \
  $(if $(ZKVM_OFFLINE),RUSTFLAGS="-C link-arg=-L$(CUDA_HOME)/lib/stubs -C link-arg=-L$(CUDA_HOME)/lib64 -C link-arg=-lcuda")

host-gpu: ## build zkvm-host with the risc0 backend and the CUDA prover (CUDA_HOME, CUDA_ARCH=sm_90)
	@test -x "$(CUDA_HOME)/bin/nvcc" || { echo "host-gpu: no nvcc in $(CUDA_HOME)/bin: set CUDA_HOME, or run scripts/cuda-toolkit.sh"; exit 4; }
	@command -v protoc >/dev/null || { echo "host-gpu: risc0's GPU Groth16 witness generator needs protoc: apt-get install protobuf-compiler"; exit 4; }
	$(RISC0_HOST_ENV) $(CUDA_ENV) CARGO="$(CARGO)" scripts/build-host.sh --release --locked -p zkvm-host --features cuda

risc0-build: risc0-deps guest ## everything the risc0 tests need: toolchain, guest, zkvm-host with the risc0 backend and Bonsai
	$(MAKE) host HOST_FEATURES=bonsai

check-risc0: ## clippy of zkvm-host's risc0 and Bonsai code (after make risc0-build, whose release build it reuses)
	cd zkvm && $(RISC0_HOST_ENV) $(CARGO) clippy --release --locked -p zkvm-host --features zkvm-host/bonsai --all-targets -- -D warnings

test-risc0: deps ## the risc0 tests (dev-mode journals vs exec, receipt checks, settlement on L1 in dev mode); skipped with the reason until `make risc0-build`
	@scripts/test.sh --deno-only tests/risc0_dev_test.ts tests/server/receipt_verifier_test.ts tests/bonsai_test.ts tests/settlement/settle_e2e_test.ts

test-guest: host-risc0 ## dev-mode zkVM run of fixture blocks: journal byte-for-byte equal to exec, receipt verifies, cycles
	@test -f zkvm/guest/out/guest.bin || $(MAKE) guest
	zkvm/guest/check-dev.sh

test-prove: host-risc0 ## real CPU proof (RISC0_DEV_MODE=0, composite) of the empty fixture block, then verify (zkvm/guest/prove.sh proves others)
	@test -f zkvm/guest/out/guest.bin || $(MAKE) guest
	zkvm/guest/prove.sh
