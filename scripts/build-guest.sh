#!/usr/bin/env bash
# Builds the RISC Zero guest (zkvm/guest/program) WITHOUT rzup, reproducibly:
#   user ELF  -> zkvm/guest/program/target/riscv32im-risc0-zkvm-elf/release/zkvm-guest
#   program   -> zkvm/guest/out/guest.bin     (user ELF + risc0's v1compat kernel, what the host loads)
#   image id  -> zkvm/guest/out/image-id.txt  (0x + 32 bytes, what the L1 verifier checks)
#   dev guest -> zkvm/guest/out/guest-dev.bin + image-id-dev.txt (feature allow-quirks: inputs
#                with quirks, i.e. dev chains; the settlement guest above refuses them)
#
# rzup's toolchain is a rustc with the riscv32im-risc0-zkvm-elf std prebuilt. Upstream rustc
# knows that target (tier 3) but ships no std for it, so we build std from source with cargo's
# -Z build-std, using Debian's rustc/cargo (rustc-web, cargo-web) and Debian's std sources
# (rust-web-src), and pass exactly the flags risc0-build 3.0.6 passes (see lib.rs,
# cargo_command_internal + encode_rust_flags). The wrap step is risc0-build's GuestListEntry::build
# (ProgramBinary::new(user_elf, V1COMPAT_ELF) + compute_image_id) as a small tool.
#
# Needs (Debian 12): apt-get install rustc-web cargo-web rust-web-src lld-22 clang
# (lld-22: rustc-web links the target with rust-lld, a link to lld-22 that rustc-web does not
# pull in; clang: only if a guest dependency compiles C). crates.io must be reachable for std's
# own dependencies (or set CARGO_HOME to one that has them).
#
# Env: GUEST_RUSTC / GUEST_CARGO (default /usr/bin/rustc, /usr/bin/cargo: Debian's, not rustup's,
# which come first on PATH), CARGO (host cargo for the wrap tool, default cargo),
# GUEST_OUT (default zkvm/guest/out).
set -euo pipefail

MODE=debian
case "${1:-}" in
  --rzup) MODE=rzup ;;
  "") ;;
  *) echo "usage: scripts/build-guest.sh [--rzup]" >&2; exit 2 ;;
esac

ROOT=$(cd "$(dirname "$0")/.." && pwd)
GUEST="$ROOT/zkvm/guest"
OUT=${GUEST_OUT:-$GUEST/out}
RUSTC_BIN=${GUEST_RUSTC:-/usr/bin/rustc}
CARGO_BIN=${GUEST_CARGO:-/usr/bin/cargo}
HOST_CARGO=${CARGO:-cargo}
TARGET=riscv32im-risc0-zkvm-elf
# The toolchain the committed image id was built with; another rustc builds a working guest with
# a different image id.
PINNED_RUSTC="rustc 1.96.0"

die() { echo "build-guest: $*" >&2; exit 4; }

# the guest's accelerated arkworks curves: crates.io sources + our patch (zkvm/guest/ark-patches)
CARGO="${CARGO:-cargo}" "$ROOT/scripts/vendor-ark.sh" || die "could not assemble zkvm/guest/vendor"

if [ "$MODE" = rzup ]; then
  # rzup's rustc has the target's std prebuilt: no build-std, no RUSTC_BOOTSTRAP. Its rustc is
  # another version than Debian's, so the image id differs from a `make guest` build.
  R0=${RISC0_HOME:-$HOME/.risc0}
  RUSTC_BIN=${GUEST_RUSTC:-$(ls -d "$R0"/toolchains/*-rust-*/bin/rustc 2>/dev/null | sort -V | tail -1)}
  [ -n "$RUSTC_BIN" ] && [ -x "$RUSTC_BIN" ] || die "no rzup rust toolchain under $R0/toolchains: rzup install rust"
  CARGO_BIN=${GUEST_CARGO:-cargo}
  SYSROOT=$("$RUSTC_BIN" --print sysroot)
  BUILD_STD=()
  GCC=$(ls -d "$R0"/toolchains/*-cpp-*/bin/riscv32-unknown-elf-gcc 2>/dev/null | sort -V | tail -1)
  DEFAULT_CC=${GCC:-clang}
  [ -n "$GCC" ] && DEFAULT_CFLAGS="-march=rv32im -nostdlib" ||
    DEFAULT_CFLAGS="--target=riscv32-unknown-elf -march=rv32im -mabi=ilp32 -nostdlib"
else
  [ -x "$RUSTC_BIN" ] && [ -x "$CARGO_BIN" ] ||
    die "no Debian rustc/cargo at $RUSTC_BIN / $CARGO_BIN: apt-get install rustc-web cargo-web rust-web-src lld-22 (or set GUEST_RUSTC/GUEST_CARGO; with rzup use 'make guest-rzup')"
  SYSROOT=$("$RUSTC_BIN" --print sysroot)
  [ -f "$SYSROOT/lib/rustlib/src/rust/library/std/Cargo.toml" ] ||
    die "no std sources under $SYSROOT/lib/rustlib/src/rust: apt-get install rust-web-src"
  "$RUSTC_BIN" --print target-list | grep -qx "$TARGET" || die "$RUSTC_BIN does not know $TARGET"
  command -v rust-lld >/dev/null && rust-lld -flavor gnu --version >/dev/null 2>&1 ||
    die "rust-lld does not run: apt-get install lld-22 (rustc-web's rust-lld links to it)"
  # -Z build-std on a stable compiler: what rzup's toolchain avoids by shipping std prebuilt.
  BUILD_STD=(-Z build-std=alloc,core,proc_macro,panic_abort,std -Z build-std-features=compiler-builtins-mem)
  # risc0-build's CFLAGS, with clang instead of rzup's riscv32-unknown-elf-gcc.
  DEFAULT_CC=clang
  DEFAULT_CFLAGS="--target=riscv32-unknown-elf -march=rv32im -mabi=ilp32 -nostdlib"
fi
VERSION=$("$RUSTC_BIN" --version)
case "$MODE:$VERSION" in
  debian:"$PINNED_RUSTC"*|rzup:*) ;;
  *) echo "build-guest: warning: $VERSION is not $PINNED_RUSTC; the image id will differ from other builds" >&2 ;;
esac

# risc0-build's rustflags, \x1f-separated as in CARGO_ENCODED_RUSTFLAGS:
#   lower-atomic: the guest is single-threaded, atomics become plain loads/stores;
#   -Ttext: user code starts at risc0-zkvm-platform's memory::TEXT_START;
#   --fatal-warnings: a missing entry point is only a linker warning otherwise;
#   getrandom "custom": risc0-zkvm-platform provides the getrandom backend.
# Added for reproducibility: paths of this checkout, the cargo home and the std sources are
# remapped (they land in panic messages), so the image id does not depend on where you build.
CARGO_HOME_DIR=${CARGO_HOME:-$HOME/.cargo}
# Cargo's per-crate metadata hash (symbol names, and TypeId constants in the code) includes the
# absolute path of path dependencies outside the guest's workspace (zkvm/executor, zkvm/guest/io),
# so two checkouts would build different image ids. Building through a fixed symlink makes the
# path the same everywhere. Two checkouts building at the same moment would race for it.
LINK=${GUEST_SRC_LINK:-/tmp/l2-prover-zkvm}
if [ -e "$LINK" ] && [ ! -L "$LINK" ]; then die "$LINK exists and is not a symlink; set GUEST_SRC_LINK"; fi
ln -sfn "$ROOT/zkvm" "$LINK"
FLAGS=(
  -C passes=lower-atomic
  -C link-arg=-Ttext=0x00200800
  -C link-arg=--fatal-warnings
  -C panic=abort
  --cfg 'getrandom_backend="custom"'
  "--remap-path-prefix=$ROOT=/l2-prover"
  "--remap-path-prefix=$LINK=/l2-prover/zkvm"
  "--remap-path-prefix=$CARGO_HOME_DIR=/cargo"
  "--remap-path-prefix=$SYSROOT/lib/rustlib/src/rust=/rustc-src"
)
ENCODED=$(printf '%s\x1f' "${FLAGS[@]}")
ENCODED=${ENCODED%$'\x1f'}

# Two variants (issue 11): the settlement guest refuses quirks (guest.bin, image-id.txt); the dev
# guest, feature allow-quirks, proves dev chains (guest-dev.bin, image-id-dev.txt).
build_variant() { # $1: extra cargo args (may be empty)
start=$(date +%s)
# RUSTC_BOOTSTRAP lets the stable compiler take -Z build-std (harmless with rzup's).
# RISC0_FEATURE_bigint2 tells crypto crates the bigint2 ecall exists (as risc0-build does):
# risc0-bigint2, under risc0-crypto-evm's accelerated secp256k1/BN254/modexp, refuses to compile
# for the zkVM without it.
env -u RUSTFLAGS -u CARGO_BUILD_RUSTFLAGS -u CARGO_TARGET_DIR \
  RUSTC_BOOTSTRAP=1 \
  RUSTC="$RUSTC_BIN" \
  CARGO_ENCODED_RUSTFLAGS="$ENCODED" \
  CC_riscv32im_risc0_zkvm_elf="${CC_riscv32im_risc0_zkvm_elf:-$DEFAULT_CC}" \
  CFLAGS_riscv32im_risc0_zkvm_elf="${CFLAGS_riscv32im_risc0_zkvm_elf:-$DEFAULT_CFLAGS}" \
  RISC0_FEATURE_bigint2= \
  "$CARGO_BIN" build --release --locked \
  --manifest-path "$LINK/guest/program/Cargo.toml" \
  --target-dir "$GUEST/program/target" \
  --target "$TARGET" \
  "${BUILD_STD[@]}" $1
ELF="$GUEST/program/target/$TARGET/release/zkvm-guest"
echo "build-guest: guest ELF ($1) built in $(( $(date +%s) - start ))s: $ELF ($(stat -c %s "$ELF") bytes)" >&2
}
# The wrap tool runs on the build machine, with whatever cargo builds host code.
wrap() { "$HOST_CARGO" run --quiet --release --locked --manifest-path "$GUEST/wrap/Cargo.toml" -- "$@"; }
mkdir -p "$OUT/dev"
build_variant "--features allow-quirks"
DEV_ID=$(wrap "$ELF" "$OUT/dev")
mv "$OUT/dev/guest.bin" "$OUT/guest-dev.bin" && mv "$OUT/dev/image-id.txt" "$OUT/image-id-dev.txt"
rmdir "$OUT/dev" 2>/dev/null || true
echo "build-guest: $OUT/guest-dev.bin (quirks allowed), image id $DEV_ID" >&2
build_variant ""
# The second binary of the program crate: accelerated crypto vs software, in the zkVM
# (check-dev.sh runs it). Not the guest the prover loads; its id is printed by nobody.
wrap "$GUEST/program/target/$TARGET/release/crypto_check" "$OUT/crypto-check" >/dev/null
ID=$(wrap "$ELF" "$OUT")
echo "$VERSION" > "$OUT/toolchain.txt"
echo "build-guest: $OUT/guest.bin, image id $ID" >&2
echo "$ID"
