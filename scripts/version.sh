#!/usr/bin/env bash
# The version `wabaform --version` prints. Its one source is the line
#     static let current = "…"
# in Sources/WabaformCLI/WabaformVersion.swift; release builds stamp a copy of the sources.
#
#   scripts/version.sh                    prints the version of this checkout: X.Y.Z when HEAD
#                                         carries the tag vX.Y.Z, else the string in that file
#   scripts/version.sh --stamp VERSION [SRC]
#                                         writes VERSION into SRC/Sources/WabaformCLI/
#                                         WabaformVersion.swift (SRC: a copy of the sources, as
#                                         scripts/release.sh and the Dockerfile make; default:
#                                         this checkout, which then shows as modified)
#
# A version is a semantic version (1.2.3, 1.2.3-rc.1, 1.2.3+build.5): anything else is refused,
# so no tag can put arbitrary text into Swift source.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
file_in() { echo "$1/Sources/WabaformCLI/WabaformVersion.swift"; }
pattern='^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$'

fixed_version() {
  sed -n 's/^    static let current = "\(.*\)"$/\1/p' "$(file_in "$root")"
}

case "${1:-}" in
  "")
    tag="$(git -C "$root" describe --tags --exact-match --match 'v[0-9]*' HEAD 2>/dev/null || true)"
    if [ -n "$tag" ]; then
      version="${tag#v}"
      if ! [[ "$version" =~ $pattern ]]; then
        echo "error: the tag $tag on HEAD is not v followed by a semantic version (v1.2.3)" >&2
        exit 1
      fi
      echo "$version"
    else
      version="$(fixed_version)"
      if [ -z "$version" ]; then
        echo "error: no 'static let current = \"…\"' line in $(file_in "$root")" >&2
        exit 1
      fi
      echo "$version"
    fi
    ;;
  --stamp)
    version="${2:?usage: scripts/version.sh --stamp VERSION [SRC]}"
    src="${3:-$root}"
    file="$(file_in "$src")"
    if ! [[ "$version" =~ $pattern ]]; then
      echo "error: '$version' is not a semantic version (1.2.3, 1.2.3-rc.1)" >&2
      exit 1
    fi
    if [ "$(grep -c '^    static let current = ".*"$' "$file")" != 1 ]; then
      echo "error: $file has no single 'static let current = \"…\"' line to stamp" >&2
      exit 1
    fi
    sed -i "s/^    static let current = \".*\"$/    static let current = \"$version\"/" "$file"
    ;;
  *)
    echo "usage: scripts/version.sh [--stamp VERSION [SRC]]" >&2
    exit 1
    ;;
esac
