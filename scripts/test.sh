#!/usr/bin/env bash
# Runs every test suite and ends with one line CI reads: "tests: N passed, N failed, N skipped".
# Suites: Deno (unit + end-to-end against real anvil nodes) and Rust (cargo test in zkvm/).
set -uo pipefail
cd "$(dirname "$0")/.."

DENO=node_modules/.bin/deno
# --deno-only PATH...: just those Deno test files (make test-risc0); default: everything
DENO_ONLY=0
if [ "${1:-}" = "--deno-only" ]; then DENO_ONLY=1; shift; fi
DENO_PATHS=("${@:-tests/}")
LOG_DIR=$(mktemp -d)
trap 'rm -rf "$LOG_DIR"' EXIT
status=0

echo "== Rust tests (zkvm/)"
if [ "$DENO_ONLY" = 1 ]; then
  echo "skipped: --deno-only" >"$LOG_DIR/rust.log"
elif [ -f zkvm/Cargo.toml ]; then
  # HOST_FEATURE_FLAGS (from make): the same zkvm-host features as the built binary, so that
  # cargo test does not replace it with one that lacks them
  # shellcheck disable=SC2086
  (cd zkvm && cargo test --release --locked --workspace ${HOST_FEATURE_FLAGS:-} 2>&1) | tee "$LOG_DIR/rust.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
else
  echo "no zkvm/ workspace yet" | tee "$LOG_DIR/rust.log"
fi

echo "== Deno tests (tests/)"
# The fault suite's tests (tests/faults) add their rows to the fault matrix, printed after them.
export FAULT_MATRIX="$LOG_DIR/faults.jsonl"
NO_COLOR=1 "$DENO" test -A --parallel "${DENO_PATHS[@]}" 2>&1 | tee "$LOG_DIR/deno.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
if [ -s "$FAULT_MATRIX" ]; then
  echo
  "$DENO" run -A scripts/fault_matrix.ts "$FAULT_MATRIX" || status=1
fi

# cargo: "test result: ok. 12 passed; 0 failed; 3 ignored; ..." (one line per test binary)
read -r rp rf ri < <(grep -E '^test result: (ok|FAILED)\.' "$LOG_DIR/rust.log" |
  awk '{for(i=1;i<=NF;i++){if($(i+1)~/^passed;?/)p+=$i; if($(i+1)~/^failed;?/)f+=$i; if($(i+1)~/^ignored;?/)g+=$i}} END{print p+0, f+0, g+0}')
# deno: "ok | 40 passed (3 steps) | 0 failed | 2 ignored (12s)" or "FAILED | 38 passed | 2 failed (..)"
summary=$(grep -E '^(ok|FAILED) \| ' "$LOG_DIR/deno.log" | tail -1)
dp=$(sed -nE 's/.*\| ([0-9]+) passed.*/\1/p' <<<"$summary"); dp=${dp:-0}
df=$(sed -nE 's/.*\| ([0-9]+) failed.*/\1/p' <<<"$summary"); df=${df:-0}
di=$(sed -nE 's/.*\| ([0-9]+) ignored.*/\1/p' <<<"$summary"); di=${di:-0}
if [ -z "$summary" ]; then
  echo "deno test printed no summary: counting it as a failure"
  df=$((df + 1))
fi

echo
echo "Rust: $rp passed, $rf failed, $ri skipped"
echo "Deno: $dp passed, $df failed, $di skipped (each skip prints its reason above)"
passed=$((rp + dp)); failed=$((rf + df)); skipped=$((ri + di))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
