#!/usr/bin/env bash
# Builds the release binary users drop into CI images (the Swift standard library and
# Foundation linked in statically) and checks it runs where no Swift toolchain is installed:
# it hides the toolchain (/opt/swift, or the directory of `swift`) in a private mount namespace
# and runs --version, validate and the quickstart plan on the embedded sandbox there.
# Needs root (unshare -m). See docs/gitops.md, "Releases and the container image".
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --static-swift-stdlib --product wabaform
binary="$PWD/.build/release/wabaform"
toolchain="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")"
toolchain="${toolchain%/usr}"

echo "== shared libraries"
ldd "$binary"
if ldd "$binary" | grep -Eq 'libswift|libFoundation|libdispatch|libBlocksRuntime'; then
  echo "FAIL: the binary links Swift runtime libraries dynamically" >&2
  exit 1
fi

echo "== size"
ls -lh "$binary" | awk '{print $5, $9}'

work="$(mktemp -d)"
empty="$(mktemp -d)"
trap 'rm -rf "$work" "$empty"' EXIT
cp -r examples "$work/"
echo "== run with $toolchain hidden"
unshare -m sh -ec "
  mount --bind '$empty' '$toolchain'
  cd '$work'
  if command -v swift >/dev/null 2>&1 && swift --version >/dev/null 2>&1; then echo 'swift is still reachable' >&2; exit 1; fi
  '$binary' --version
  '$binary' validate -f examples/quickstart
  '$binary' plan --sandbox -f examples/quickstart | tail -1
"
echo "OK: the release binary runs without a Swift toolchain"
