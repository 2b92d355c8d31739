#!/usr/bin/env bash
# Regenerates docs/wabaform.1, the man page, from the command definitions with
# swift-argument-parser's generate-manual plugin. Run it after changing a command, a flag or a
# help text; a test checks the page lists every subcommand. Release tarballs get a page generated
# from the release binary itself (scripts/release.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# The date of the last change to the commands, so regenerating unchanged commands changes nothing.
date="$(git log -1 --format=%cs -- Sources/WabaformCLI 2>/dev/null || true)"
[ -n "$date" ] || date="$(date -u +%F)"
swift package plugin generate-manual --configuration debug --date "$date"
cp .build/plugins/GenerateManual/outputs/wabaform/wabaform.1 docs/wabaform.1
echo "wrote docs/wabaform.1"
