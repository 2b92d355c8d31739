#!/usr/bin/env python3
"""The benchmark's baseline: a small hand-rolled asyncio client doing the reads of
`wabaform plan` (the partner, the channel pages, each channel's webhook with its key), with the
same parallelism and no retries, over keep-alive HTTP/1.1 connections on asyncio streams (the
standard library only). benchmarks/run.sh times it in the same run as wabaform, against the same
sandbox, and prints wabaform's wall and CPU time as ratios of this script's.

    benchmarks/baseline.py PARALLELISM   # endpoints and credentials from WABAFORM_* (the sandbox's lines)

Prints one line of JSON: requests sent, per status, and channels read. Exits 1 if any request
failed (it never retries, so run it where nothing is injected).
"""
import asyncio
import json
import os
import sys
from urllib.parse import urlsplit


class Connection:
    """One keep-alive HTTP/1.1 connection; requests go one at a time."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def get(self, path, headers):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"GET {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Accept: application/json"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        length, chunked, close = 0, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.lower() == "close":
                close = True
        if chunked:
            body = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                if size == 0:
                    await self.reader.readline()
                    break
                body += await self.reader.readexactly(size)
                await self.reader.readline()
        else:
            body = await self.reader.readexactly(length)
        if close:
            self.writer.close()
            self.writer = None
        return status, (json.loads(body) if body else None)


async def main(parallelism):
    env = os.environ
    api, messaging = urlsplit(env["WABAFORM_API_URL"]), urlsplit(env["WABAFORM_MESSAGING_URL"])
    partner_id = env["WABAFORM_PARTNER_ID"]
    partner_headers = {"X-API-Key": env["WABAFORM_API_KEY"]}
    with open(env["WABAFORM_CHANNEL_KEYS_FILE"]) as file:
        keys = json.load(file)
    # At most `parallelism` requests in flight in all, as wabaform's --parallelism; a pool of
    # keep-alive connections per host.
    slots = asyncio.Semaphore(parallelism)
    pools = {}
    statuses = {}

    async def get(url, path, headers):
        pool = pools.setdefault((url.hostname, url.port), [])
        async with slots:
            connection = pool.pop() if pool else Connection(url.hostname, url.port)
            try:
                status, body = await connection.get(url.path.rstrip("/") + path, headers)
            finally:
                pool.append(connection)
        statuses[status] = statuses.get(status, 0) + 1
        return status, body

    async def bounded(items, work):
        queue = list(reversed(items))
        results = []

        async def worker():
            while queue:
                results.append(await work(queue.pop()))

        await asyncio.gather(*(worker() for _ in range(min(parallelism, len(items)))))
        return results

    base = f"/partners/{partner_id}"
    _, page = await get(api, f"{base}/channels?offset=0&limit=1000&sort=id", partner_headers)
    channels = list(page["partner_channels"])
    step = page.get("limit") or 1000

    async def later(offset):
        _, body = await get(api, f"{base}/channels?offset={offset}&limit={step}&sort=id", partner_headers)
        return body["partner_channels"]

    partner, pages = await asyncio.gather(
        get(api, base, partner_headers), bounded(list(range(step, page["total"], step)), later))
    for more in pages:
        channels += more
    with_key = [channel["id"] for channel in channels if channel["id"] in keys]

    async def webhook(channel_id):
        return await get(messaging, "/v1/configs/webhook", {"D360-API-KEY": keys[channel_id]})

    await bounded(with_key, webhook)
    failed = sum(count for status, count in statuses.items() if status not in (200, 404))
    print(json.dumps({"requests": sum(statuses.values()), "statuses": statuses, "channels": len(channels),
                      "webhooks": len(with_key), "partner": partner[0]}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 32)))
