"""Throughput of ``/data/Berlin.ttl`` (cached) against a trivial FastAPI endpoint, with wrk.

``python benchmarks/bench_web.py [--duration 10] [--connections 32]``: serves the minidump
(``dump:`` source, so no network is involved) with ``dbod serve`` (uvicorn, 1 worker, log
level warning, as the baseline), warms
the cache, then runs wrk against it and against ``benchmarks/trivial_app.py`` under the same
uvicorn settings; prints requests/s, p50 and p99 latency of both and the throughput ratio
(issue target: at least 0.5).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "tests"))

from conftest import free_port, start_server, stop_server  # noqa: E402


def wrk(url: str, duration: int, connections: int) -> tuple[float, str, str]:
    """(requests/s, p50, p99) of a wrk run."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"\s50%\s+(\S+)", out).group(1)
    p99 = re.search(r"\s99%\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} failed responses")
    return rate, p50, p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    with tempfile.TemporaryDirectory() as scratch:
        dump = SHARED / "dbpedia" / "minidump_en_wiki.xml.bz2"
        process, base = start_server(
            f"dump:{dump}", SHARED / "dbpedia", Path(scratch) / "cache", "--log-level", "warning"
        )
        port = free_port()
        trivial = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "trivial_app:app", "--port", str(port),
             "--log-level", "warning", "--app-dir", str(ROOT / "benchmarks")],
        )  # fmt: skip
        try:
            urllib.request.urlopen(f"{base}/data/Berlin.ttl", timeout=60).read()  # warm
            for _ in range(50):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            ours = wrk(f"{base}/data/Berlin.ttl", args.duration, args.connections)
            baseline = wrk(f"http://127.0.0.1:{port}/", args.duration, args.connections)
        finally:
            stop_server(process)
            trivial.terminate()
            trivial.wait()
    for name, (rate, p50, p99) in (("/data/Berlin.ttl", ours), ("trivial endpoint", baseline)):
        print(f"{name:>18}: {rate:9.1f} req/s  p50 {p50:>8}  p99 {p99:>8}")
    print(f"throughput ratio: {ours[0] / baseline[0]:.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
