#!/usr/bin/env bash
# Builds a wabaform release for Linux from the committed HEAD (uncommitted changes are not in
# it): the static release binary (the Swift standard library and Foundation linked in), stripped,
# with the shell completions and the man page generated from it, in a tarball laid out like
# /usr/local, and a SHA-256 checksum file beside it:
#
#   dist/wabaform-VERSION-linux-ARCH.tar.gz
#     wabaform-VERSION-linux-ARCH/bin/wabaform
#     wabaform-VERSION-linux-ARCH/share/bash-completion/completions/wabaform
#     wabaform-VERSION-linux-ARCH/share/zsh/site-functions/_wabaform
#     wabaform-VERSION-linux-ARCH/share/fish/vendor_completions.d/wabaform.fish
#     wabaform-VERSION-linux-ARCH/share/man/man1/wabaform.1
#   dist/wabaform-VERSION-linux-ARCH.tar.gz.sha256   (sha256sum format)
#
# usage: scripts/release.sh [--version VERSION] [--arch x86_64|aarch64] [--out DIR]
#
# VERSION defaults to scripts/version.sh: X.Y.Z when HEAD carries the tag vX.Y.Z, else the
# fixed string of Sources/WabaformCLI/WabaformVersion.swift. It is stamped into a copy of the
# sources, never into the checkout. ARCH defaults to this machine's; another one needs a Swift SDK
# for it (`swift sdk list`), else the script says so and stops. Then the script unpacks the
# tarball again and checks the checksum, that the binary is the one built, that it links no Swift
# library dynamically and that its --version prints VERSION. See docs/gitops.md, "Releases and the container image".
# It compiles everything in release mode: about 15-25 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

version=""
arch="$(uname -m)"
out="$root/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="${2:?--version needs a value}"; shift 2 ;;
    --arch) arch="${2:?--arch needs a value}"; shift 2 ;;
    --out) out="${2:?--out needs a value}"; shift 2 ;;
    *) echo "usage: scripts/release.sh [--version VERSION] [--arch x86_64|aarch64] [--out DIR]" >&2; exit 1 ;;
  esac
done
case "$arch" in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) echo "error: --arch must be x86_64 or aarch64, not '$arch'" >&2; exit 1 ;;
esac
[ -n "$version" ] || version="$(scripts/version.sh)"

host="$(uname -m)"
sdk_args=()
if [ "$arch" != "$host" ]; then
  sdk="$(swift sdk list 2>/dev/null | grep -E "^${arch}-.*linux" | head -1 || true)"
  if [ -z "$sdk" ]; then
    echo "error: cannot build for $arch on this $host machine: no Swift SDK for $arch Linux is installed (swift sdk list is empty for it)." >&2
    echo "       Install one (swift sdk install ..., e.g. the Static Linux SDK) or run this script on an $arch machine." >&2
    exit 1
  fi
  sdk_args=(--swift-sdk "$sdk")
fi

if ! git diff --quiet HEAD -- 2>/dev/null; then
  echo "warning: the checkout has uncommitted changes; the release is built from HEAD without them" >&2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
src="$work/src"
mkdir -p "$src"
git archive --format=tar HEAD | tar -x -C "$src"
# The same dependency versions as this checkout, when it has resolved them.
if [ -f Package.resolved ]; then cp Package.resolved "$src/"; fi
scripts/version.sh --stamp "$version" "$src"

echo "== build $version for linux-$arch (from $(git rev-parse --short HEAD))"
cd "$src"
swift build -c release --static-swift-stdlib --product wabaform "${sdk_args[@]}"
binary="$(swift build -c release --static-swift-stdlib --product wabaform "${sdk_args[@]}" --show-bin-path)/wabaform"
# The completions and the man page come from a binary that runs here: the release binary
# itself, or for another architecture a build of the same sources for this machine.
if [ ${#sdk_args[@]} -eq 0 ]; then
  runnable="$binary"
else
  swift build -c release --static-swift-stdlib --product wabaform
  runnable="$(swift build -c release --static-swift-stdlib --product wabaform --show-bin-path)/wabaform"
fi
# swift-argument-parser's manual generator (the tool behind its generate-manual plugin).
swift build -c release --static-swift-stdlib --product generate-manual
manual_tool="$(swift build -c release --static-swift-stdlib --product generate-manual --show-bin-path)/generate-manual"
cd "$root"

name="wabaform-$version-linux-$arch"
stage="$work/stage/$name"
mkdir -p "$stage/bin" "$stage/share/bash-completion/completions" "$stage/share/zsh/site-functions" \
  "$stage/share/fish/vendor_completions.d" "$stage/share/man/man1"
if [ "$arch" = "$host" ]; then
  strip -o "$stage/bin/wabaform" "$binary"
else
  llvm-objcopy --strip-all "$binary" "$stage/bin/wabaform"
fi
"$runnable" --generate-completion-script bash > "$stage/share/bash-completion/completions/wabaform"
"$runnable" --generate-completion-script zsh > "$stage/share/zsh/site-functions/_wabaform"
"$runnable" --generate-completion-script fish > "$stage/share/fish/vendor_completions.d/wabaform.fish"
commit_date="$(git log -1 --format=%cs HEAD)"
"$manual_tool" "$runnable" --date "$commit_date" --output-directory "$stage/share/man/man1"
test -s "$stage/share/man/man1/wabaform.1"
cp README.md "$stage/"

# A reproducible tarball: sorted names, fixed owner and times, no gzip timestamp.
mkdir -p "$out"
tarball="$out/$name.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$(git log -1 --format=%ct HEAD)" \
  -C "$work/stage" -cf - "$name" | gzip -9 -n > "$tarball"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")

echo "== check the tarball"
check="$work/check"
mkdir -p "$check"
cp "$tarball" "$tarball.sha256" "$check/"
(cd "$check" && sha256sum -c "$name.tar.gz.sha256")
tar -xzf "$check/$name.tar.gz" -C "$check"
unpacked="$check/$name/bin/wabaform"
if [ "$(sha256sum < "$unpacked")" != "$(sha256sum < "$stage/bin/wabaform")" ]; then
  echo "FAIL: the unpacked binary is not the one built" >&2
  exit 1
fi
if [ "$arch" = "$host" ]; then
  if ldd "$unpacked" | grep -Eq 'libswift|libFoundation|libdispatch|libBlocksRuntime'; then
    echo "FAIL: the binary links Swift runtime libraries dynamically" >&2
    exit 1
  fi
  reported="$("$unpacked" --version)"
  if [ "$reported" != "$version" ]; then
    echo "FAIL: wabaform --version prints '$reported', not '$version'" >&2
    exit 1
  fi
  echo "wabaform --version: $reported"
fi
echo "binary sha256: $(sha256sum < "$unpacked" | cut -d' ' -f1)  ($(du -h "$unpacked" | cut -f1))"
cat "$tarball.sha256"
echo "OK: $tarball"
