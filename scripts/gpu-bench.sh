#!/usr/bin/env bash
# One time-boxed GPU check for a lent or rented GPU machine, with no Deno or Rust there: the CUDA
# host (make host-gpu) proves fixture blocks of growing size, each receipt is verified, and
# nvidia-smi is sampled alongside. Prints a table last; writes everything to REPORT_DIR.
#
# Usage: scripts/gpu-bench.sh [REPORT_DIR]      (default: bench-reports/gpu-<time>)
# Env:   HOST_BIN (default zkvm/target/release/zkvm-host), ZKVM_GUEST_PATH,
#        BUDGET_S (default 420: no new proof starts after it), HARD_S (default BUDGET_S + 120: a
#        proof still running then is stopped, so the summary always prints), BLOCKS (fixtures).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPORT=${1:-$ROOT/bench-reports/gpu-$(date +%Y%m%d-%H%M%S)}
export HOST_BIN=${HOST_BIN:-$ROOT/zkvm/target/release/zkvm-host}
BUDGET_S=${BUDGET_S:-420}
HARD_S=${HARD_S:-$((BUDGET_S + 120))}
BLOCKS=${BLOCKS:-"bpo1-empty-block-41 bpo1-blockhash-30 bpo1-storage-5 bpo1-transfers-2 bpo1-precompiles-32 bpo1-busy-block-40"}
FIXTURES=$ROOT/tests/fixtures/inputs
mkdir -p "$REPORT"
began=$SECONDS

echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader ||
  { echo "gpu-bench: nvidia-smi failed: no GPU here" >&2; exit 4; }
nproc
if ldd "$HOST_BIN" | grep -q "not found"; then
  # Container images often keep the driver's libraries outside the loader's path.
  export LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/usr/local/nvidia/lib:${LD_LIBRARY_PATH:-}
fi
ldd "$HOST_BIN" | grep -E "cuda|not found"
id=$("$HOST_BIN" image-id) || exit 4
echo "image id: $id"

echo "== dev-mode smoke run (the binary loads, the guest runs)"
RISC0_DEV_MODE=1 "$HOST_BIN" run --backend risc0 --input "$FIXTURES/bpo1-empty-block-41.json" \
  --output "$REPORT/dev.json" 2>"$REPORT/dev.log" || { cat "$REPORT/dev.log"; exit 1; }

nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used,power.draw,clocks.sm \
  --format=csv,noheader -lms 500 >"$REPORT/smi.csv" 2>/dev/null &
smi=$!
trap 'kill $smi 2>/dev/null' EXIT

echo "== proofs (composite, segment po2 ${ZKVM_SEGMENT_PO2:-20}), budget ${BUDGET_S}s"
inputs=()
for b in $BLOCKS; do inputs+=("$FIXTURES/$b.json"); done
timeout --signal=INT --kill-after=10 "$((HARD_S - (SECONDS - began)))" \
  "$ROOT/zkvm/guest/prove.sh" -r "$REPORT/proofs.jsonl" -d "$((BUDGET_S - (SECONDS - began)))" \
  "${inputs[@]}" 2>"$REPORT/host-stderr.log"
status=$?
[ $status -eq 124 ] && echo "gpu-bench: stopped the proof still running at ${HARD_S}s"
kill $smi 2>/dev/null

echo "== summary ($((SECONDS - began)) s)"
python3 - "$REPORT/proofs.jsonl" "$REPORT/smi.csv" <<'PY'
import json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1])] if os.path.exists(sys.argv[1]) else []
print(f"{'block':28} {'segs':>5} {'cycles':>13} {'exec s':>7} {'prove s':>8} {'Mcycles/s':>10} {'seg ms p50':>10}")
def num(v, scale=1.0, fmt=".2f"):
    return "-" if v is None else format(v / scale, fmt)
for r in rows:
    print(f"{r['block']:28} {r['segments']:>5} {r['cycles']:>13,} {num(r['executeMs'], 1000):>7} "
          f"{num(r['proveMs'], 1000):>8} {num(r['cyclesPerSecond'], 1e6):>10} "
          f"{num(r['segmentMsMedian'], 1, '.1f'):>10}")
mem = [float(l.split(",")[2].split()[0]) for l in open(sys.argv[2]) if l.count(",") >= 4]
util = [float(l.split(",")[1].split()[0]) for l in open(sys.argv[2]) if l.count(",") >= 4]
if mem:
    idle = sum(1 for u in util if u == 0) / len(util)
    print(f"GPU memory peak {max(mem):.0f} MiB; utilisation mean {sum(util) / len(util):.0f} %, "
          f"idle (0 %) in {idle:.0%} of {len(util)} samples")
PY
exit $status
