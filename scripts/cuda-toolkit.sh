#!/usr/bin/env bash
# Assembles a CUDA 13.0 toolkit (nvcc, cicc, headers, static cudart) from NVIDIA's PyPI wheels
# into DIR, so that `make host-gpu` can build the CUDA prover on a machine without a GPU, without
# root and without NVIDIA's apt repository. Run on GPU boxes too when no toolkit is installed.
#
# Usage: scripts/cuda-toolkit.sh [DIR]   (default: .work/cuda)
# Then:  make host-gpu CUDA_HOME=DIR [CUDA_ARCH=sm_90]
#
# 13.0 is the newest CUDA that driver 580 (the lowest we have run on) supports. Linking needs
# libcuda.so, which only a driver installs: a stub with the driver API symbols that risc0's
# `cust` crate references is built into DIR/lib/stubs (the real driver's library is used at run
# time).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$(realpath -m "${1:-$ROOT/.work/cuda}")
VERSION=13.0
PKGS=(nvidia-cuda-nvcc==13.0.88 nvidia-nvvm==13.0.88 nvidia-cuda-crt==13.0.88
  nvidia-cuda-runtime==13.0.96 nvidia-cuda-cccl==13.0.85)

if [ -x "$DIR/bin/nvcc" ] && [ -f "$DIR/lib/stubs/libcuda.so" ]; then
  echo "cuda-toolkit: $DIR already has nvcc $("$DIR/bin/nvcc" --version | grep -o 'release [0-9.]*')"
  exit 0
fi
command -v python3 >/dev/null || { echo "cuda-toolkit: python3 (with pip) is needed" >&2; exit 1; }
wheels=$(mktemp -d)
trap 'rm -rf "$wheels"' EXIT
echo "cuda-toolkit: downloading CUDA $VERSION wheels from PyPI"
python3 -m pip download -q --no-deps --only-binary=:all: --platform manylinux_2_27_x86_64 \
  --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 -d "$wheels" "${PKGS[@]}"
unpacked="$wheels/unpacked"
for w in "$wheels"/*.whl; do python3 -m zipfile -e "$w" "$unpacked"; done
mkdir -p "$DIR"
cp -a "$unpacked/nvidia/cu13/." "$DIR/"
chmod +x "$DIR"/bin/* "$DIR"/nvvm/bin/*
# nvcc.profile looks for headers and libraries under targets/x86_64-linux, and cust's build
# script for lib64: both are this same tree in the wheels' layout.
mkdir -p "$DIR/targets"
ln -sfn .. "$DIR/targets/x86_64-linux"
ln -sfn lib "$DIR/lib64"

# The driver API names risc0's CUDA code links against, from the cust_raw crate cargo fetched.
(cd "$ROOT/zkvm" && cargo fetch --locked -q)
cust_raw=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/cust_raw-* | sort -V | tail -1)
mkdir -p "$DIR/lib/stubs"
grep -ohE 'pub fn cu[A-Za-z0-9_]+' "$cust_raw"/src/*.rs | sort -u |
  sed 's/pub fn \(.*\)/void \1(void) {}/' >"$wheels/stub.c"
cc -shared -fPIC -Wl,-soname,libcuda.so.1 -o "$DIR/lib/stubs/libcuda.so" "$wheels/stub.c"
echo "cuda-toolkit: $DIR ($("$DIR/bin/nvcc" --version | grep -o 'release [0-9.]*'));" \
  "next: make host-gpu CUDA_HOME=$DIR"
