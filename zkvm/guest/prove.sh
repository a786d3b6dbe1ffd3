#!/usr/bin/env bash
# A real proof on the CPU (RISC0_DEV_MODE=0): proves one prover input with `zkvm-host run
# --backend risc0`, checks the receipt with `zkvm-host verify`, prints proving time, cycles and
# receipt size. Usage: zkvm/guest/prove.sh [input.json] [composite|succinct|groth16]
# (default: the bpo1 empty-block fixture, composite). Needs `make guest` and `make host-risc0`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HOST=${HOST_BIN:-$ROOT/zkvm/target/release/zkvm-host}
INPUT=${1:-$(ls "$ROOT"/tests/fixtures/inputs/bpo1-empty-block-*.json | head -1)}
KIND=${2:-composite}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

[ -x "$HOST" ] || { echo "prove: no $HOST: run 'make host-risc0'" >&2; exit 4; }
start=$(date +%s)
RISC0_DEV_MODE=0 "$HOST" run --input "$INPUT" --output "$OUT/result.json" --backend risc0 --receipt "$KIND"
secs=$(( $(date +%s) - start ))
RISC0_DEV_MODE=0 "$HOST" verify --result "$OUT/result.json"
python3 - "$OUT/result.json" "$secs" "$(basename "$INPUT")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["cycles"]
size = (len(r["receipt"]["bytes"]) - 2) // 2
print(f"proved {sys.argv[3]} ({r['mode']}): {sys.argv[2]} s, {r['segments']} segments, "
      f"total={c['total']} user={c['user']} paging={c['paging']} cycles, "
      f"{c['total'] / max(int(sys.argv[2]), 1):.0f} cycles/s, receipt {size} bytes, verified")
PY
