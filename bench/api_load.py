"""REST API speed on loopback, bounded in time and count.

1. Throughput: closed loop, C concurrent clients for D seconds each, on GET /healthz and on
   POST /v1/ask (real questions from the labelled set, each text sent once: never repeated),
   against the same server in one run. The rate limiter is on (with a limit nobody reaches), so
   its counting is measured too. First the server is warmed up with the other development
   questions (tests/data/dev, each once; --cold: not), and the server's CPU time per request is
   printed for each phase: on a machine shared with other work it is the steadier number.
2. Latency at a fixed rate: R requests/s of POST /v1/ask for D seconds (open loop), p50/p99.

    python bench/api_load.py [--seconds 10] [--concurrency 16] [--rate 200] [--cold] [--no-latency]
The server is `ogoh serve` (uvicorn, one process) in a subprocess on 127.0.0.1. The client is a
minimal HTTP/1.1 keep-alive client on asyncio streams: httpx costs ~4 ms of CPU a request, which
on this 2-core machine would measure the client, not the server. For a C load generator, see
the `wrk` lines in the README.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
MAX_REQUESTS = 200_000  # hard bound on any phase


class RawClient:
    """Just enough HTTP/1.1: keep-alive connections, Content-Length bodies."""

    def __init__(self, host: str, port: int, connections: int):
        self.host, self.port = host, port
        self.pool: asyncio.Queue = asyncio.Queue()
        self.size = connections

    async def open(self) -> None:
        for _ in range(self.size):
            self.pool.put_nowait(await asyncio.open_connection(self.host, self.port))

    async def request(self, method: str, path: str, body: bytes = b"") -> int:
        return await self.request_with_headers(method, path, body, {})

    async def request_with_headers(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> int:
        reader, writer = await self.pool.get()
        try:
            extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n{extra}Content-Length: {len(body)}\r\n\r\n"
            writer.write(head.encode() + body)
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            return int(status_line.split()[1])
        finally:
            self.pool.put_nowait((reader, writer))

    async def close(self) -> None:
        while not self.pool.empty():
            _, writer = self.pool.get_nowait()
            writer.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc), else None. On a machine shared
    with other work, CPU per request measures the server; requests per second measure the load."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def questions(folder: str = "tests/data/questions") -> list[str]:
    rows = [json.loads(line) for p in sorted((ROOT / folder).glob("*.jsonl")) for line in p.read_text().splitlines() if line.strip()]
    return [r["text"] for r in rows]


async def closed_loop(client: RawClient, make_request, seconds: float, concurrency: int, limit: int = MAX_REQUESTS) -> tuple[int, int]:
    done = errors = 0
    stop = time.perf_counter() + seconds

    async def worker(i: int) -> None:
        nonlocal done, errors
        n = i
        while time.perf_counter() < stop and done < MAX_REQUESTS and n < limit:
            r = await make_request(client, n)
            n += concurrency
            done += 1
            errors += r != 200
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return done, errors


async def fixed_rate(client: RawClient, make_request, seconds: float, rate: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()
    total = min(int(seconds * rate), MAX_REQUESTS)

    async def one(n: int) -> None:
        nonlocal errors
        t0 = time.perf_counter()
        r = await make_request(client, n)
        latencies.append((time.perf_counter() - t0) * 1000)
        errors += r != 200

    await paced(one, total, rate, start)
    return latencies, errors


async def paced(one, total: int, rate: float, start: float) -> None:
    """Open loop: start request n at start + n/rate, whether or not earlier ones have finished."""
    tasks = []
    for n in range(total):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(n)))
    await asyncio.gather(*tasks)


async def run(args) -> None:
    port = free_port()
    env = {**os.environ, "OGOH_STORAGE_URL": "sqlite://:memory:", "OGOH_RATE_LIMIT_PER_MINUTE": "100000000"}
    server = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    qs = questions()

    # Never the same text twice (a cache keyed by text would not help real traffic): the n-th
    # request is a labelled question with its own serial number (digits are ignored by the matcher).
    serial = itertools.count()

    def body() -> bytes:
        n = next(serial)
        return json.dumps({"text": f"{qs[n % len(qs)]} {n}"}).encode()

    async def healthz(client, n):
        return await client.request("GET", "/healthz")

    async def ask(client, n):
        return await client.request("POST", "/v1/ask", body())

    try:
        for _ in range(600):  # up to 2 minutes: a cold start trains the index
            try:
                probe = RawClient("127.0.0.1", port, 1)
                await probe.open()
                await probe.close()
                break
            except OSError:
                await asyncio.sleep(0.2)
        client = RawClient("127.0.0.1", port, max(args.concurrency, 64))
        await client.open()
        if True:
            if not args.cold:
                # A server that has seen some traffic: the other development questions (never the
                # measured ones) asked once each, so that what is memoised per word and per situation
                # (never per text) is as warm as in service. --cold skips it.
                dev = questions("tests/data/dev/questions")

                async def warm(client, n):
                    return await client.request("POST", "/v1/ask", json.dumps({"text": dev[n]}).encode())
                await closed_loop(client, warm, 120, args.concurrency, limit=len(dev))
            await closed_loop(client, ask, 2, args.concurrency)  # warm up
            c0 = cpu_seconds(server.pid)
            h_done, h_err = await closed_loop(client, healthz, args.seconds, args.concurrency)
            c1 = cpu_seconds(server.pid)
            a_done, a_err = await closed_loop(client, ask, args.seconds, args.concurrency)
            c2 = cpu_seconds(server.pid)
            h_rps, a_rps = h_done / args.seconds, a_done / args.seconds
            print(f"throughput, {args.concurrency} concurrent clients, {args.seconds:.0f} s each:")
            print(f"  GET /healthz  {h_rps:8.0f} req/s  ({h_err} errors)")
            print(f"  POST /v1/ask  {a_rps:8.0f} req/s  ({a_err} errors) = {100 * a_rps / h_rps:.0f}% of /healthz")
            if c0 is not None and c1 is not None and c2 is not None and h_done and a_done:
                h_cpu, a_cpu = 1000 * (c1 - c0) / h_done, 1000 * (c2 - c1) / a_done
                print(f"server CPU per request: /healthz {h_cpu:.2f} ms, /v1/ask {a_cpu:.2f} ms "
                      f"(a CPU-bound server would serve /v1/ask at {100 * h_cpu / a_cpu:.0f}% of /healthz)")
            if args.no_latency:
                await client.close()
                return
            lat, err = await fixed_rate(client, ask, args.seconds, args.rate)
            lat.sort()
            print(f"latency of POST /v1/ask at {args.rate:.0f} req/s for {args.seconds:.0f} s ({len(lat)} requests, {err} errors):")
            print(f"  p50 {statistics.median(lat):.1f} ms   p99 {lat[int(0.99 * (len(lat) - 1))]:.1f} ms   max {lat[-1]:.1f} ms")
        await client.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--no-latency", action="store_true", help="throughput only")
    parser.add_argument("--cold", action="store_true", help="no warm-up with the other development questions")
    asyncio.run(run(parser.parse_args()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
