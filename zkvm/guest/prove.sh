#!/usr/bin/env bash
# Real proofs (RISC0_DEV_MODE=0) of prover inputs with `zkvm-host run --backend risc0`: each
# receipt is checked with `zkvm-host verify`, and a line per block gives the proving time, cycles,
# segments and cycles per second (CPU, or CUDA when the host was built with `make host-gpu`).
#
# Usage: zkvm/guest/prove.sh [-k composite|succinct|groth16] [-r report.jsonl] [-d SECONDS]
#                            [input.json ...]
#   default input: the bpo1 empty-block fixture; -r appends one JSON object per block;
#   -d: start no new block once SECONDS have passed (for time-boxed machines).
# Env: HOST_BIN (default zkvm/target/release/zkvm-host), ZKVM_GUEST_PATH, ZKVM_SEGMENT_PO2.
# Exit: 0 when every block that ran proved and verified, else the first failing exit code.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HOST=${HOST_BIN:-$ROOT/zkvm/target/release/zkvm-host}
KIND=composite REPORT="" DEADLINE=""
while getopts "k:r:d:" opt; do
  case $opt in
    k) KIND=$OPTARG ;;
    r) REPORT=$OPTARG ;;
    d) DEADLINE=$OPTARG ;;
    *) sed -n 2,11p "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
INPUTS=("$@")
[ ${#INPUTS[@]} -gt 0 ] || INPUTS=("$(ls "$ROOT"/tests/fixtures/inputs/bpo1-empty-block-*.json | head -1)")
[ -x "$HOST" ] || { echo "prove: no $HOST: run 'make host-risc0' (or 'make host-gpu')" >&2; exit 4; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
began=$(date +%s)
status=0
for input in "${INPUTS[@]}"; do
  name=$(basename "$input" .json)
  if [ -n "$DEADLINE" ] && [ $(( $(date +%s) - began )) -ge "$DEADLINE" ]; then
    echo "prove: $name skipped: the ${DEADLINE} s deadline has passed"
    continue
  fi
  start=$(date +%s%N)
  RISC0_DEV_MODE=0 "$HOST" run --input "$input" --output "$WORK/$name.json" --backend risc0 \
    --receipt "$KIND" 2> >(tee "$WORK/$name.events" >&2)
  rc=$?
  wall_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  if [ $rc -eq 0 ]; then
    RISC0_DEV_MODE=0 "$HOST" verify --result "$WORK/$name.json"
    rc=$?
  fi
  if [ $rc -ne 0 ]; then
    echo "prove: $name FAILED (exit $rc)" >&2
    [ $status -ne 0 ] || status=$rc
    continue
  fi
  python3 - "$WORK/$name.json" "$WORK/$name.events" "$wall_ms" "$name" "$REPORT" <<'PY'
import json, sys
result, events, wall_ms, name, report = sys.argv[1:6]
r = json.load(open(result))
phases, segs = {}, []
for line in open(events):
    try:
        ev = json.loads(line)
    except ValueError:
        continue
    if ev.get("event") == "phase":
        phases[ev["phase"]] = ev
    elif ev.get("event") == "segment":
        segs.append(ev)
prove = phases.get("prove", {})
c = r["cycles"]
row = {
    "block": name, "mode": r["mode"], "segments": r["segments"],
    "cycles": c["total"], "userCycles": c["user"], "pagingCycles": c["paging"],
    "executeMs": phases.get("zkvmExecute", {}).get("ms"), "proveMs": prove.get("ms"),
    "cyclesPerSecond": prove.get("cyclesPerSecond"), "wallS": round(int(wall_ms) / 1000, 2),
    "segmentMsMedian": sorted(s["ms"] for s in segs)[len(segs) // 2] if segs else None,
    "receiptBytes": (len(r["receipt"]["bytes"]) - 2) // 2, "verified": True,
}
prove_s = f"{row['proveMs'] / 1000:.1f} s" if row["proveMs"] is not None else "-"
rate = f"{row['cyclesPerSecond']:,.0f}" if row["cyclesPerSecond"] is not None else "-"
print(f"proved {name} ({r['mode']}): prove {prove_s}, wall {row['wallS']} s, "
      f"{row['segments']} segments, {c['total']:,} cycles, {rate} cycles/s, "
      f"receipt {row['receiptBytes']:,} bytes, verified")
if report:
    with open(report, "a") as f:
        f.write(json.dumps(row) + "\n")
PY
done
exit $status
