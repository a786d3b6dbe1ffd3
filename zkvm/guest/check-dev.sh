#!/usr/bin/env bash
# Runs prover inputs through the zkVM in dev mode (RISC0_DEV_MODE=1: real execution, fake
# receipt) and natively (exec), and checks that both accept the block and that the journals are
# byte-for-byte equal; then checks the dev-mode receipt with `zkvm-host verify`. Prints the cycle
# counts of each block. Usage: zkvm/guest/check-dev.sh [input.json ...]
# (default: the empty-block and transfers fixtures of every fork in tests/fixtures/inputs).
# Needs `make guest` and `make host-risc0`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HOST=${HOST_BIN:-$ROOT/zkvm/target/release/zkvm-host}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

[ -x "$HOST" ] || { echo "check-dev: no $HOST: run 'make host-risc0'" >&2; exit 4; }
"$HOST" image-id >/dev/null || { echo "check-dev: no guest: run 'make guest'" >&2; exit 4; }

if [ $# -eq 0 ]; then
  set -- "$ROOT"/tests/fixtures/inputs/*-empty-block-*.json "$ROOT"/tests/fixtures/inputs/*-transfers-*.json
fi

fail=0
for input in "$@"; do
  name=$(basename "$input" .json)
  "$HOST" run --input "$input" --output "$WORK/$name.exec.json" --backend exec 2>/dev/null
  start=$(date +%s%N)
  RISC0_DEV_MODE=1 "$HOST" run --input "$input" --output "$WORK/$name.dev.json" --backend risc0 2>"$WORK/$name.dev.log" || {
    echo "FAIL $name: risc0 dev run exited $?: $(tail -1 "$WORK/$name.dev.log")"
    fail=1
    continue
  }
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  if ! RISC0_DEV_MODE=1 "$HOST" verify --result "$WORK/$name.dev.json" 2>"$WORK/$name.verify.log"; then
    echo "FAIL $name: verify: $(tail -1 "$WORK/$name.verify.log")"
    fail=1
    continue
  fi
  python3 - "$WORK/$name.exec.json" "$WORK/$name.dev.json" "$name" "$ms" <<'EOF' || fail=1
import json, sys
exec_r, dev_r = (json.load(open(p)) for p in sys.argv[1:3])
name, ms = sys.argv[3], sys.argv[4]
if exec_r["journal"] != dev_r["journal"]:
    print(f"FAIL {name}: journals differ\n  exec {exec_r['journal']}\n  dev  {dev_r['journal']}")
    sys.exit(1)
c = dev_r["cycles"]
ph = c["phases"]
user = max(c["user"], 1)
phases = " ".join(f"{k}={v} ({100 * v / user:.1f}%)" for k, v in ph.items())
print(f"ok   {name}: journal equal, seal {dev_r['seal'][:12]}..., {dev_r['block']['txCount']} txs, "
      f"total={c['total']} user={c['user']} paging={c['paging']} segments={dev_r['segments']} wall={ms}ms\n"
      f"     {phases}")
EOF
done
exit $fail
