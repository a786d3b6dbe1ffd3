#!/usr/bin/env bash
# `cargo build` of zkvm-host in zkvm/ (arguments go to cargo), for the Makefile's host targets.
# With ZKVM_OFFLINE=1, risc0-circuit-recursion's build script leaves an empty recursion_zkr.zip
# (DOCS_RS=1). When cargo re-runs that script (changed C flags or lock file), the script deletes
# the empty file and tries risc0's S3 bucket, which fails offline; a clean of that one crate lets
# the script start afresh, so this retries once after it.
set -uo pipefail
cd "$(dirname "$0")/../zkvm"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"${CARGO:-cargo}" build "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 0 ] && [ -n "${ZKVM_OFFLINE:-}" ] && grep -q "risc0-artifacts.s3" "$log"; then
  echo "build-host: risc0-circuit-recursion's build script re-ran and tried to download;" \
    "cleaning that crate and building again (ZKVM_OFFLINE)" >&2
  "${CARGO:-cargo}" clean --release -p risc0-circuit-recursion && "${CARGO:-cargo}" build "$@"
  rc=$?
fi
exit "$rc"
