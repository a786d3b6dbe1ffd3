#!/usr/bin/env bash
# Assembles zkvm/guest/vendor/{ark-ff,ark-bn254,ark-bls12-381} for the guest build: crates.io's 0.6.0
# sources, taken from cargo's registry cache (fetched through zkvm/Cargo.lock, which pins the
# crates for the native build, and checked against its checksums), with our change applied
# (zkvm/guest/ark-patches/*.patch: each curve's base field `Fq` and its `Fq2` products go
# through risc0's bigint2 accelerator, zkvm/guest/ark-accel; ark-ff gains the `Fq2` hook). Only the patch is ours and committed; the vendor
# folder is a build output (.gitignore). Idempotent: a folder made from the same patch is kept.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CARGO=${CARGO:-cargo}
CARGO_HOME_DIR=${CARGO_HOME:-$HOME/.cargo}
VENDOR="$ROOT/zkvm/guest/vendor"
PATCHES="$ROOT/zkvm/guest/ark-patches"
LOCK="$ROOT/zkvm/Cargo.lock"
VERSION=0.6.0

# the checksum zkvm/Cargo.lock records for crate $1 at $VERSION
checksum() {
  awk -v n="name = \"$1\"" -v v="version = \"$VERSION\"" '
    /^\[\[package\]\]/ { name = 0; ver = 0 }
    $0 == n { name = 1 }
    name && $0 == v { ver = 1 }
    name && ver && /^checksum = / { gsub(/"/, "", $3); print $3; exit }
  ' "$LOCK"
}

"$CARGO" fetch --manifest-path "$ROOT/zkvm/Cargo.toml" --locked --quiet
mkdir -p "$VENDOR"
for crate in ark-ff ark-bn254 ark-bls12-381; do
  dest="$VENDOR/$crate"
  stamp="$dest/.made-from-$(sha256sum "$PATCHES/$crate.patch" | cut -c1-16)"
  [ -f "$stamp" ] && continue
  sum=$(checksum "$crate")
  [ -n "$sum" ] || { echo "vendor-ark: $crate $VERSION is not in $LOCK" >&2; exit 4; }
  file=$(ls "$CARGO_HOME_DIR"/registry/cache/*/"$crate-$VERSION.crate" 2>/dev/null | head -1)
  [ -n "$file" ] || { echo "vendor-ark: cargo fetch left no $crate-$VERSION.crate in $CARGO_HOME_DIR" >&2; exit 4; }
  echo "$sum  $file" | sha256sum -c --quiet - ||
    { echo "vendor-ark: $file does not match $LOCK's checksum" >&2; exit 4; }
  tmp=$(mktemp -d)
  tar xzf "$file" -C "$tmp"
  rm -rf "$dest"
  mv "$tmp/$crate-$VERSION" "$dest"
  rmdir "$tmp"
  (cd "$VENDOR" && patch -p1 --quiet --no-backup-if-mismatch < "$PATCHES/$crate.patch")
  touch "$stamp"
  echo "vendor-ark: $dest (crates.io $VERSION + ark-patches/$crate.patch)"
done
