#!/usr/bin/env python3
"""The sandbox's own time per request: COUNT webhook reads of one channel, one at a time on one
keep-alive connection, against the running sandbox (the variables its start-up prints).

    python3 benchmarks/probe.py [COUNT]

Prints one JSON line: {"requests": N, "median_ms": ..., "min_ms": ..., "p90_ms": ...}. The
benchmark's floor counts the sandbox's --latency for each request; what a request takes beyond
it (the sandbox's timer and thread wake-ups, the loopback round trip) is what no client can win
back, and this measures it. Exits 1 with a message when the sandbox cannot be read.
"""
import http.client
import json
import os
import sys
import time
from urllib.parse import urlsplit


def main(count):
    if count < 1:
        raise ValueError(f"COUNT must be a whole number of at least 1, not {count}")
    env = os.environ
    for name in ("WABAFORM_MESSAGING_URL", "WABAFORM_CHANNEL_KEYS_FILE"):
        if name not in env:
            raise RuntimeError(f"{name} is not set (run the sandbox's lines first)")
    messaging = urlsplit(env["WABAFORM_MESSAGING_URL"])
    with open(env["WABAFORM_CHANNEL_KEYS_FILE"]) as file:
        keys = json.load(file)
    if not keys:
        raise RuntimeError("the channel keys file holds no key")
    key = keys[sorted(keys)[0]]
    path = messaging.path.rstrip("/") + "/v1/configs/webhook"
    connection = http.client.HTTPConnection(messaging.hostname, messaging.port, timeout=30)
    times = []
    for _ in range(count):
        start = time.perf_counter()
        connection.request("GET", path, headers={"D360-API-KEY": key})
        response = connection.getresponse()
        response.read()
        times.append(time.perf_counter() - start)
        # 404: the channel has no webhook, an answer plan reads as often as a 200.
        if response.status not in (200, 404):
            raise RuntimeError(f"the sandbox answered {response.status}")
    connection.close()
    times.sort()
    print(json.dumps({
        "requests": count,
        "median_ms": round(times[count // 2] * 1000, 2),
        "min_ms": round(times[0] * 1000, 2),
        "p90_ms": round(times[count * 9 // 10] * 1000, 2),
    }, sort_keys=True))


if __name__ == "__main__":
    try:
        argument = sys.argv[1] if len(sys.argv) > 1 else "100"
        if not argument.isdigit():
            raise ValueError(f"COUNT must be a whole number of at least 1, not {argument!r}")
        main(int(argument))
    except (OSError, KeyError, ValueError, RuntimeError) as error:
        print(f"probe.py: {error}", file=sys.stderr)
        sys.exit(1)
