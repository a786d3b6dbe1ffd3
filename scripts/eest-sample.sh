#!/usr/bin/env bash
# Regenerates the committed EEST sample (zkvm/eest/tests/sample/*.json.gz) from the published
# execution-spec-tests fixtures (CC0/MIT), given as a directory of fixture JSON or a git repository
# holding them: EEST_FIXTURES=path scripts/eest-sample.sh. Each bundle keeps, per fixture file
# and network, the first test under a size limit, with only the fields the runner reads and the
# post-state replaced by its root (see `eest strip`).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${EEST_FIXTURES:?set EEST_FIXTURES to the fixtures (a directory or a git repository)}"
EEST=zkvm/target/release/eest
OUT=zkvm/eest/tests/sample
(cd zkvm && cargo build --release --locked -p zkvm-eest)
rm -rf "$OUT" && mkdir -p "$OUT"
if [ -d "$EEST_FIXTURES/objects" ]; then
  src() { echo --git "$EEST_FIXTURES" --prefix "blockchain_tests/$1"; }
else
  src() { echo "$EEST_FIXTURES/blockchain_tests/$1"; }
fi
strip() { # bundle folder networks max-bytes [extra args]
  local bundle=$1 folder=$2 networks=$3 max=$4
  shift 4
  # shellcheck disable=SC2046
  "$EEST" strip $(src "$folder") --out "$OUT/$bundle.json.gz" --networks "$networks" \
    --max-test-bytes "$max" --per-file 1 "$@"
}
strip paris paris Paris,Shanghai,Cancun,Prague,Osaka 24000
# EIP-7610: targets with storage and balance but no code or nonce (the storage collision).
# (The first pick above is the same case with a correct initcode.)
strip paris paris/eip7610_create_collision Paris,Cancun,Prague 24000 --match non-empty-balance-revert
for f in frontier homestead byzantium constantinople istanbul berlin london; do
  strip paris "$f" Paris 10000
done
strip shanghai shanghai Shanghai,Prague 24000
for f in frontier istanbul london; do strip shanghai "$f" Shanghai 10000; done
strip cancun cancun Cancun,Osaka 24000
strip prague prague Prague 24000
strip osaka osaka Osaka 24000
ls -l "$OUT"
