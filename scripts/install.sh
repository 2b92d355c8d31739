#!/usr/bin/env bash
# Installs a wabaform release made by scripts/release.sh: downloads
# wabaform-VERSION-linux-ARCH.tar.gz and its .sha256 from BASE_URL, checks the checksum before
# unpacking anything, unpacks it into PREFIX (bin/, share/ — the completions and the man page) and
# checks that PREFIX/bin/wabaform --version prints VERSION. The GitHub Action (action.yml) runs it.
#
# usage: scripts/install.sh --version VERSION --from BASE_URL [--prefix PREFIX]
#
#   BASE_URL  where the release's files are, https:// (or file:// for a local copy), e.g.
#             https://github.com/OWNER/wabaform/releases/download/vVERSION
#   PREFIX    default: ~/.local; then add PREFIX/bin to PATH (under GitHub Actions it is added
#             to $GITHUB_PATH)
set -euo pipefail

version="" base="" prefix="${HOME:-}/.local"
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="${2:?--version needs a value}"; shift 2 ;;
    --from) base="${2:?--from needs a value}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a value}"; shift 2 ;;
    *) echo "usage: scripts/install.sh --version VERSION --from BASE_URL [--prefix PREFIX]" >&2; exit 1 ;;
  esac
done
if [ -z "$version" ] || [ -z "$base" ]; then
  echo "usage: scripts/install.sh --version VERSION --from BASE_URL [--prefix PREFIX]" >&2
  exit 1
fi
# The version becomes part of a file name and a URL: nothing but a semantic version.
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$ ]]; then
  echo "error: version '$version' is not a semantic version (1.2.3, without the tag's v)" >&2
  exit 1
fi
case "$(uname -m)" in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) echo "error: no wabaform release for $(uname -m) Linux" >&2; exit 1 ;;
esac

# Already there (a second step of the same job): nothing to download.
if [ -x "$prefix/bin/wabaform" ] && [ "$("$prefix/bin/wabaform" --version 2>/dev/null)" = "$version" ]; then
  echo "wabaform $version is already installed in $prefix/bin"
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$prefix/bin" >> "$GITHUB_PATH"; fi
  exit 0
fi

name="wabaform-$version-linux-$arch"
download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT
for file in "$name.tar.gz" "$name.tar.gz.sha256"; do
  if ! curl --fail --silent --show-error --location --proto '=https,file' --retry 3 \
      --output "$download/$file" "${base%/}/$file"; then
    echo "error: could not download ${base%/}/$file" >&2
    exit 1
  fi
done
# The checksum file must name exactly this tarball, once: a file listing something else checks
# nothing.
expected="$(awk 'NF == 2 && ($2 == "'"$name.tar.gz"'" || $2 == "*'"$name.tar.gz"'") { print $1 }' "$download/$name.tar.gz.sha256")"
if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]]; then
  echo "error: $name.tar.gz.sha256 has no SHA-256 line for $name.tar.gz" >&2
  exit 1
fi
actual="$(sha256sum "$download/$name.tar.gz" | cut -d' ' -f1)"
if [ "$actual" != "$expected" ]; then
  echo "error: checksum mismatch for $name.tar.gz: expected $expected, got $actual; nothing installed" >&2
  exit 1
fi

mkdir -p "$download/unpacked"
tar -xzf "$download/$name.tar.gz" -C "$download/unpacked"
if [ ! -x "$download/unpacked/$name/bin/wabaform" ]; then
  echo "error: $name.tar.gz has no $name/bin/wabaform" >&2
  exit 1
fi
reported="$("$download/unpacked/$name/bin/wabaform" --version)"
if [ "$reported" != "$version" ]; then
  echo "error: the downloaded wabaform says it is '$reported', not $version; nothing installed" >&2
  exit 1
fi
mkdir -p "$prefix"
cp -R "$download/unpacked/$name/bin" "$download/unpacked/$name/share" "$prefix/"
echo "installed wabaform $version in $prefix/bin"
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$prefix/bin" >> "$GITHUB_PATH"
fi
