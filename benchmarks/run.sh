#!/usr/bin/env bash
# wabaform's benchmark: plan and apply against the sandbox with a synthetic fleet and injected
# latency, measured against the network floor (requests x latency / parallelism).
#
#   benchmarks/run.sh            # the full set (1,000 and 10,000 channels; a few minutes)
#   benchmarks/run.sh --quick    # 1,000 channels only
#
# Prints one row per scenario: wall time, the floor and their ratio, requests per route (from
# the sandbox's /_sandbox/stats), 429s (wasted requests), wabaform's CPU time and peak memory,
# and the sandbox's CPU time. Release builds; the sandbox runs as its own process.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
[ "${1:-}" = "--quick" ] && quick=true

swift build -c release --static-swift-stdlib --product wabaform >&2
swift build -c release --static-swift-stdlib --product wabaform-bench >&2
bin="$PWD/.build/release/wabaform"
work="$(mktemp -d)"
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$work"' EXIT

sandbox_pid=""
start_sandbox() { # channels latency_ms [more sandbox flags...]
  local channels="$1" latency="$2"; shift 2
  rm -rf "$work/sbx" && mkdir -p "$work/sbx"
  "$bin" sandbox --port 0 --state "$work/sbx/state.json" --channels "$channels" --latency "$latency" "$@" \
    > "$work/sbx/env" 2> "$work/sbx/log" &
  sandbox_pid=$!
  for _ in $(seq 1 600); do grep -q WABAFORM_CHANNEL_KEYS_FILE "$work/sbx/env" 2>/dev/null && break; sleep 0.1; done
  # shellcheck disable=SC1091
  eval "$(cat "$work/sbx/env")"
  base="${WABAFORM_MESSAGING_URL}"
}

stop_sandbox() {
  kill "$sandbox_pid" 2>/dev/null || true
  wait "$sandbox_pid" 2>/dev/null || true
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# measure NAME LATENCY_MS PARALLELISM COMMAND...: runs wabaform COMMAND against the running
# sandbox and prints a result row.
measure() {
  local name="$1" latency="$2" parallelism="$3"; shift 3
  curl -s -X DELETE "$base/_sandbox/stats" > /dev/null
  local before; before=$(cpu_ticks "$sandbox_pid")
  set +e
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" "$@" --parallelism "$parallelism" > "$work/out" 2> "$work/err"
  local code=$?
  set -e
  local after; after=$(cpu_ticks "$sandbox_pid")
  curl -s "$base/_sandbox/stats" > "$work/stats.json"
  python3 - "$name" "$latency" "$parallelism" "$code" "$(cat "$work/time")" "$((after - before))" "$(getconf CLK_TCK)" "$work/stats.json" <<'PY'
import json, sys
name, latency, parallelism, code, timing, ticks, hz, stats = sys.argv[1:9]
wall, user, system, peak_kb = timing.split()
rows = json.load(open(stats))["requests"]
total = sum(r["count"] for r in rows)
wasted = sum(r["count"] for r in rows if r["status"] in (429, 0) or r["status"] >= 500)
floor = total * int(latency) / 1000 / int(parallelism)
routes = {}
for r in rows:
    key = f'{r["method"]} {r["route"].replace("/api/v2/partners/{partner_id}", "…")}'
    routes[key] = routes.get(key, 0) + r["count"]
route_text = ", ".join(f"{k}: {v}" for k, v in sorted(routes.items()))
ratio = f"{float(wall) / floor:.2f}x" if floor > 0 else "-"
print(f"| {name} | {code} | {float(wall):.2f} s | {floor:.2f} s | {ratio} | {total} | {wasted} | "
      f"{float(user) + float(system):.2f} s | {int(peak_kb) / 1024:.0f} MB | {int(ticks) / int(hz):.2f} s | {route_text} |")
PY
}

plan_config() { # webhook host
  cat > "$work/wabaform.yaml" <<YAML
version: 1
partner: { id: demoPA }
channels:
  - select: all
    webhook: { url: "https://$1/wa/{channel_id}" }
YAML
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); $(swift --version 2>/dev/null | head -1)"
echo
echo "| scenario | exit | wall | floor | wall/floor | requests | wasted (429/5xx/dropped) | wabaform CPU | wabaform peak memory | sandbox CPU | requests per route |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"

sizes="1000 10000"
$quick && sizes="1000"
for n in $sizes; do
  # The sandbox alone: no latency, so wall time is client + server overhead.
  start_sandbox "$n" 0
  plan_config hooks.example.com
  measure "plan $n channels, latency 0 (sandbox alone)" 0 32 plan -f "$work/wabaform.yaml"
  stop_sandbox

  start_sandbox "$n" 20
  plan_config hooks.example.com
  measure "plan $n channels, 20 ms, parallelism 32" 20 32 plan -f "$work/wabaform.yaml"
  plan_config "bench-$n.example.com"
  measure "apply $n webhook changes, 20 ms, parallelism 32" 20 32 apply -f "$work/wabaform.yaml" --auto-approve --allow-mass-change
  stop_sandbox

  # Rate limited like a real API (a token bucket of 400 requests/s): adaptive concurrency
  # should keep the 429s (wasted requests) few.
  start_sandbox "$n" 20 --rate-limit 400
  plan_config hooks.example.com
  measure "plan $n channels, 20 ms, API limited to 400 req/s" 20 32 plan -f "$work/wabaform.yaml"
  stop_sandbox

  # Random 429s (not load-driven), Retry-After 0.
  start_sandbox "$n" 20 --throttle-rate 0.05 --retry-after 0
  plan_config hooks.example.com
  measure "plan $n channels, 20 ms, 5% random 429" 20 32 plan -f "$work/wabaform.yaml"
  stop_sandbox
done

echo
echo "Planning and rendering in memory (no network): .build/release/wabaform-bench 100000"
"$PWD/.build/release/wabaform-bench" 100000
