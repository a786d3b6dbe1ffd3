#!/usr/bin/env bash
# make build / make dist: the GPU box's single executable and its release folder.
#
#   scripts/build.sh build   dist/l2-prover: `deno compile` of main.ts with what the subcommands
#                            read embedded (--include): fixtures, contract artifacts, build info.
#   scripts/build.sh dist    dist/l2-prover-<version>-<os>-<arch>-<kind>/ and its .tar.gz: the
#                            executable, zkvm-host (<kind>: cuda, cpu or exec, from its features),
#                            the guest and its image id, .env.example, a README and SHA256SUMS.
#
# deno compile needs Deno's `denort` runtime of the same version, which it downloads; a machine
# that cannot reach the download stops here at once with one line, not a backtrace.
# Env: DENORT_BIN (a denort of the same Deno version), DENORT_DOWNLOAD=0 (never try to download),
# L2_PROVER_BIN (dist: package this already-compiled executable instead of compiling),
# ZKVM_HOST_BIN (dist: the zkvm-host to ship), DIST_DIR (where dist writes; default dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
DENO=node_modules/.bin/deno
HOST_BIN=${ZKVM_HOST_BIN:-zkvm/target/release/zkvm-host}
DIST=${DIST_DIR:-dist}
GUEST_OUT=zkvm/guest/out

die() {
  echo "$1" >&2
  exit "${2:-4}"
}

deno_version=$("$DENO" --version | awk 'NR==1{print $2}')
target=$("$DENO" eval --quiet 'console.log(Deno.build.target)')

# The runtime deno compile will use: DENORT_BIN, its download cache, or the download itself.
need_runtime() {
  if [ -n "${DENORT_BIN:-}" ]; then
    [ -f "$DENORT_BIN" ] && [ -x "$DENORT_BIN" ] ||
      die "make build: DENORT_BIN=$DENORT_BIN is not an executable file (it must be the denort $deno_version binary for $target)"
    return
  fi
  local deno_dir
  deno_dir=$("$DENO" info --json 2>/dev/null | sed -nE 's/.*"denoDir": *"([^"]+)".*/\1/p')
  [ -n "$deno_dir" ] && [ -f "$deno_dir/dl/release/v$deno_version/denort-$target.zip" ] && return
  if [ "${DENORT_DOWNLOAD:-1}" = 0 ] || ! getent hosts dl.deno.land >/dev/null 2>&1; then
    die "make build: deno compile needs the denort $deno_version runtime for $target and cannot download it here: set DENORT_BIN to that denort binary, or run make build on a machine with internet"
  fi
}

compile() {
  need_runtime
  mkdir -p .work dist
  local commit
  commit=$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
  printf '{"commit":"%s","builtAt":"%s"}\n' "$commit" "$(date -u +%FT%TZ)" >.work/build-info.json
  # Contract ABIs and bytecode are a module (contracts/build/artifacts.ts), compiled in like any
  # import; only files read at run time need --include.
  local includes=(--include .work/build-info.json --include tests/fixtures/inputs --include tests/fixtures/perf)
  "$DENO" compile --allow-all "${includes[@]}" --output dist/l2-prover main.ts
}

host_kind() {
  local features
  features=$("$1" info | sed -nE 's/.*"features":\[([^]]*)\].*/\1/p')
  case "$features" in
  *cuda*) echo cuda ;;
  *risc0*) echo cpu ;;
  *) echo exec ;;
  esac
}

dist() {
  local exe=${L2_PROVER_BIN:-}
  if [ -z "$exe" ]; then
    compile
    exe=dist/l2-prover
  fi
  [ -x "$exe" ] || die "make dist: $exe is not an executable"
  [ -x "$HOST_BIN" ] || die "make dist: no $HOST_BIN: build it first (make host, make host-risc0 or make host-gpu)"
  local kind version name dir
  kind=$(host_kind "$HOST_BIN")
  version=$(sed -nE 's/^export const VERSION = "([^"]+)".*/\1/p' lib/about/version.ts)
  name="l2-prover-$version-$(uname -s | tr 'A-Z' 'a-z')-$(uname -m)-$kind"
  dir="$DIST/$name"
  rm -rf "$dir" "$dir.tar.gz"
  mkdir -p "$dir"
  exe=$(realpath "$exe")
  cp "$exe" "$dir/l2-prover"
  cp "$HOST_BIN" "$dir/zkvm-host"
  if [ "$kind" != exec ]; then
    [ -f "$GUEST_OUT/guest.bin" ] || die "make dist: a $kind zkvm-host needs the guest: run make guest first"
    cp "$GUEST_OUT"/guest*.bin "$GUEST_OUT"/image-id*.txt "$dir/"
  fi
  cp .env.example "$dir/.env.example"
  cat >"$dir/README.md" <<EOF
# $name

The l2-prover CLI ($version, commit $(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown))
with its zkVM host ($kind build)$([ "$kind" != exec ] && echo " and guest (image id $(cat "$GUEST_OUT/image-id.txt"))").
l2-prover finds the zkvm-host beside it, and zkvm-host finds guest.bin beside itself.

    cp .env.example .env          # then set PROVER_CLIENT_PROVER_SERVER_ENDPOINT, ...
    ./l2-prover --version         # what was found, and where
    ./l2-prover prover-client     # prove batches for a prover-server
    ./l2-prover perf-gpu          # benchmark this box on the shipped fixture blocks

Check the files: sha256sum -c SHA256SUMS. The full manual is the project's README.
EOF
  (cd "$dir" && sha256sum -- * .env.example >SHA256SUMS)
  tar -C "$DIST" -czf "$dir.tar.gz" "$name"
  echo "make dist: $dir/ and $dir.tar.gz"
}

case "${1:-}" in
build) compile && echo "make build: dist/l2-prover" ;;
dist) dist ;;
*) die "usage: scripts/build.sh build|dist" 2 ;;
esac
