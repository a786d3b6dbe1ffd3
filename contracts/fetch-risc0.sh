#!/usr/bin/env bash
# Puts the Solidity sources of risc0's `risc0-ethereum-contracts` crate (crates.io) under
# .work/ and prints that directory. Cargo downloads the crate (checking crates.io's checksum);
# the sha256 below pins the exact file, so every checkout compiles the same risc0 sources.
set -euo pipefail

VERSION=3.0.1
SHA256=9a604f09f459f456fd9ef4919c6efcaa6a787a6f9ffcd76cfc81eae1860584a1
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/.work/risc0-ethereum-contracts-$VERSION"
CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"

if [[ -f "$DEST/.complete" ]]; then echo "$DEST"; exit 0; fi

find_crate() { compgen -G "$CARGO_HOME/registry/cache/*/risc0-ethereum-contracts-$VERSION.crate" | head -n1 || true; }
crate="$(find_crate)"
if [[ -z "$crate" ]]; then
  # `cargo info` fetches the published crate into cargo's cache, nothing else.
  (cd "$ROOT" && cargo info "risc0-ethereum-contracts@$VERSION" >/dev/null 2>&1) || {
    echo "fetch-risc0: cargo could not download risc0-ethereum-contracts $VERSION from crates.io" >&2
    exit 4
  }
  crate="$(find_crate)"
fi
[[ -n "$crate" ]] || { echo "fetch-risc0: risc0-ethereum-contracts-$VERSION.crate not in $CARGO_HOME/registry/cache" >&2; exit 4; }
got="$(sha256sum "$crate" | cut -d' ' -f1)"
if [[ "$got" != "$SHA256" ]]; then
  echo "fetch-risc0: $crate has sha256 $got, expected $SHA256" >&2
  exit 1
fi
mkdir -p "$ROOT/.work"
tmp="$(mktemp -d "$ROOT/.work/risc0-fetch.XXXXXX")"
tar -xzf "$crate" -C "$tmp"
rm -rf "$DEST"
mv "$tmp/risc0-ethereum-contracts-$VERSION" "$DEST"
rmdir "$tmp"
touch "$DEST/.complete"
echo "$DEST"
