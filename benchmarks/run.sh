#!/usr/bin/env bash
# wabaform's benchmark: plan and apply against the sandbox with a synthetic fleet and injected
# latency, measured against the network floor (requests x latency / parallelism).
#
#   benchmarks/run.sh            # the full set (1,000 and 10,000 channels; a few minutes)
#   benchmarks/run.sh --quick    # 1,000 channels only
#   SWIFT=wswift benchmarks/run.sh --quick   # build with another swift driver
#
# Prints one row per scenario: wall time, the floor and their ratio, requests per route (from
# the sandbox's /_sandbox/stats), 429s (wasted requests), wabaform's CPU time and peak memory,
# and the sandbox's CPU time. Release builds; the sandbox runs as its own process.
# Beside each plan at 20 ms run two references against the same sandbox, each row giving
# wabaform's wall and CPU time as ratios of its own: the baseline (benchmarks/baseline.py: the
# same reads in a small hand-rolled Python asyncio client, no retries) and wabaform-bench-nio
# (the same reads in a minimal SwiftNIO client: the floor of the tools wabaform is built on). Rows with a rate limit also print
# the rate floor: the requests a run needs (those not refused) divided by the limit.
# Under the table, the sandbox's own time per request (benchmarks/probe.py: webhook reads one
# at a time) at latency 0 and 20 ms: what a request costs beyond the latency the floor counts.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
[ "${1:-}" = "--quick" ] && quick=true

swift="${SWIFT:-swift}"
$swift build -c release --static-swift-stdlib --product wabaform >&2
$swift build -c release --static-swift-stdlib --product wabaform-bench >&2
$swift build -c release --static-swift-stdlib --product wabaform-bench-nio >&2
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
  for _ in $(seq 1 3000); do grep -q WABAFORM_CHANNEL_KEYS_FILE "$work/sbx/env" 2>/dev/null && break; sleep 0.1; done
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
# sandbox and prints a result row. RATE=N (requests per second) adds the rate floor.
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
  cp "$work/time" "$work/last-time"
  python3 - "$name" "$latency" "$parallelism" "$code" "$(cat "$work/time")" "$((after - before))" "$(getconf CLK_TCK)" "$work/stats.json" "${RATE:-0}" <<'PY'
import json, sys
name, latency, parallelism, code, timing, ticks, hz, stats, rate = sys.argv[1:10]
wall, user, system, peak_kb = timing.split()
rows = json.load(open(stats))["requests"]
total = sum(r["count"] for r in rows)
wasted = sum(r["count"] for r in rows if r["status"] in (429, 0) or r["status"] >= 500
             or (r["status"] == 400 and r["route"].startswith("/v1/")))
floor = total * int(latency) / 1000 / int(parallelism)
if float(rate) > 0:
    rate_floor = (total - wasted) / float(rate)
    name += f" (rate floor {rate_floor:.2f} s: {float(wall) / rate_floor:.2f}x)"

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

# reference NAME LATENCY_MS PARALLELISM COMMAND...: a reference client (COMMAND, given the same
# parallelism) against the running sandbox; prints its row with its floor, and wabaform's wall
# and CPU as ratios of its own (wabaform's last measured row). The references:
# benchmarks/baseline.py (the hand-rolled Python asyncio script) and wabaform-bench-nio (the
# same reads in a minimal SwiftNIO client: the floor of the tools wabaform is built on).
reference() {
  local name="$1" latency="$2" parallelism="$3"; shift 3
  curl -s -X DELETE "$base/_sandbox/stats" > /dev/null
  /usr/bin/time -f "%e %U %S %M" -o "$work/btime" "$@" "$parallelism" > "$work/bout"
  python3 - "$name" "$(cat "$work/btime")" "$(cat "$work/last-time")" "$work/bout" "$latency" "$parallelism" <<'PY'
import json, sys
name, baseline, wabaform, out, latency, parallelism = sys.argv[1:7]
bw, bu, bs, bm = baseline.split()
ww, wu, ws, _ = wabaform.split()
result = json.load(open(out))
bcpu, wcpu = float(bu) + float(bs), float(wu) + float(ws)
floor = result['requests'] * int(latency) / 1000 / int(parallelism)
print(f"| {name} | 0 | {float(bw):.2f} s | {floor:.2f} s | {float(bw) / floor:.2f}x | {result['requests']} | 0 | {bcpu:.2f} s | "
      f"{int(bm) / 1024:.0f} MB | - | "
      f"wabaform/this: wall {float(ww) / float(bw):.2f}x, CPU {wcpu / bcpu:.2f}x |")
PY
}

# probe SIZE LATENCY_MS: the sandbox's own time per request (benchmarks/probe.py), kept for
# the lines under the table.
# A probe that fails (its message on stderr) is said so under the table; the runs go on.
probe() {
  local result
  result=$(python3 benchmarks/probe.py 100) || result='{"failed": true}'
  printf '%s %s %s\n' "$1" "$2" "$result" >> "$work/probes"
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
  probe "$n" 0
  plan_config hooks.example.com
  measure "plan $n channels, latency 0 (sandbox alone)" 0 32 plan -f "$work/wabaform.yaml"
  stop_sandbox

  start_sandbox "$n" 20
  probe "$n" 20
  plan_config hooks.example.com
  measure "plan $n channels, 20 ms, parallelism 32" 20 32 plan -f "$work/wabaform.yaml"
  reference "baseline: the same reads in Python asyncio ($n channels, 20 ms, parallelism 32)" 20 32 python3 benchmarks/baseline.py
  reference "the same reads in a minimal SwiftNIO client ($n channels, 20 ms, parallelism 32)" 20 32 "$PWD/.build/release/wabaform-bench-nio"
  plan_config "bench-$n.example.com"
  measure "apply $n webhook changes, 20 ms, parallelism 32" 20 32 apply -f "$work/wabaform.yaml" --auto-approve --allow-mass-change
  stop_sandbox

  # Rate limited like a real API (a token bucket of 400 requests/s): adaptive concurrency
  # should keep the 429s (wasted requests) few.
  start_sandbox "$n" 20 --rate-limit 400
  plan_config hooks.example.com
  RATE=400 measure "plan $n channels, 20 ms, API limited to 400 req/s (429)" 20 32 plan -f "$work/wabaform.yaml"
  stop_sandbox

  # The same limit per API host as the real APIs answer it: 429 on the Partner API, the 400
  # usage limit (no Retry-After) on the Messaging API.
  start_sandbox "$n" 20 --rate-limit 400/1s
  plan_config hooks.example.com
  RATE=400 measure "plan $n channels, 20 ms, 400/1s per API host (400 usage limit)" 20 32 plan -f "$work/wabaform.yaml"
  stop_sandbox

  # Per credential: each channel key may send 1 request a second, and apply sends three per
  # channel (the plan's read, the write, the verifying read) within moments.
  start_sandbox "$n" 20 --rate-limit channel=1/1s
  plan_config "bench-$n.example.com"
  measure "apply $n webhook changes, 20 ms, 1/1s per channel key (400 usage limit)" 20 32 apply -f "$work/wabaform.yaml" --auto-approve --allow-mass-change
  stop_sandbox

  # Random 429s (not load-driven), Retry-After 0.
  start_sandbox "$n" 20 --throttle-rate 0.05 --retry-after 0
  plan_config hooks.example.com
  measure "plan $n channels, 20 ms, 5% random 429" 20 32 plan -f "$work/wabaform.yaml"
  stop_sandbox
done

# --- 100,000 channels over HTTP (issue 15, item 6; the full run only) ---
# The whole plan end to end at six figures: the JSON plan is written as it is rendered, and
# the row's peak memory is the target (150 MB). The sandbox takes a while to build its fleet.
if ! $quick; then
  start_sandbox 100000 20
  plan_config hooks.example.com
  measure "plan 100000 channels, 20 ms, parallelism 32, --format json" 20 32 plan -f "$work/wabaform.yaml" --format json
  stop_sandbox
fi
# --- end of 100,000 channels ---

echo
echo "The sandbox's own time per request (benchmarks/probe.py: 100 webhook reads, one at a time on one connection):"
python3 - "$work/probes" <<'PY'
import json, sys
probes = {}
for line in open(sys.argv[1]):
    size, latency, result = line.split(" ", 2)
    probes[(int(size), int(latency))] = json.loads(result)
for size in sorted({s for s, _ in probes}):
    idle, busy = probes.get((size, 0)), probes.get((size, 20))
    if not idle or not busy or idle.get("failed") or busy.get("failed"):
        print(f"- {size} channels: the probe failed (its message went to stderr)")
        continue
    over = busy["median_ms"] - 20
    print(f"- {size} channels: median {idle['median_ms']:.2f} ms at latency 0, {busy['median_ms']:.2f} ms at 20 ms "
          f"(min {busy['min_ms']:.2f}, p90 {busy['p90_ms']:.2f}): {over:.2f} ms ({over / 20:.0%}) a request beyond "
          f"the 20 ms the floor counts, {busy['median_ms'] - 20 - idle['median_ms']:.2f} ms of it the wait itself")
PY

echo
echo "Planning and rendering in memory (no network): .build/release/wabaform-bench 100000"
"$PWD/.build/release/wabaform-bench" 100000
