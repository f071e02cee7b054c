#!/usr/bin/env python3
"""A reverse proxy on 127.0.0.1 that counts (and can delay) the requests it forwards.

Tests use it to count the requests that really reach a MediaWiki testbed; benchmarks use it to
inject latency. Stdlib only::

    with LoopbackProxy("http://127.0.0.1:8080", delay=0.1) as proxy:
        ...  # send requests to proxy.url + "/api.php"
        proxy.requests  # [(method, path, body), ...] in arrival order

``python scripts/loopback_proxy.py UPSTREAM [--delay S] [--port P]`` runs one in the foreground.
"""

from __future__ import annotations

import argparse
import contextlib
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


class LoopbackProxy:
    """Forwards every request to ``upstream`` (scheme://host:port), after ``delay`` seconds."""

    def __init__(self, upstream: str, delay: float = 0.0, port: int = 0) -> None:
        self.upstream = upstream.rstrip("/")
        self.delay = delay
        self.requests: list[tuple[str, str, bytes]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def params(self) -> list[dict[str, list[str]]]:
        """The query parameters (URL and form body together) of every request so far."""
        with self._lock:
            seen = list(self.requests)
        out = []
        for _method, path, body in seen:
            params = parse_qs(urlsplit(path).query)
            for key, values in parse_qs(body.decode("utf-8", "replace")).items():
                params.setdefault(key, []).extend(values)
            out.append(params)
        return out

    def reset(self) -> None:
        """Forget the requests counted so far."""
        with self._lock:
            self.requests.clear()

    def start(self) -> LoopbackProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LoopbackProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self._forward()

            def do_POST(self) -> None:
                self._forward()

            def log_message(self, *args: object) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with proxy._lock:
                    proxy.requests.append((self.command, self.path, body))
                if proxy.delay:
                    time.sleep(proxy.delay)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers.pop("Host", None)
                request = urllib.request.Request(
                    proxy.upstream + self.path,
                    data=body if self.command == "POST" else None,
                    headers=headers,
                    method=self.command,
                )
                try:
                    with urllib.request.urlopen(request, timeout=60) as reply:
                        status, reply_headers, data = reply.status, reply.headers, reply.read()
                except urllib.error.HTTPError as error:
                    status, reply_headers, data = error.code, error.headers, error.read()
                except OSError:
                    status, reply_headers, data = 502, {}, b"upstream unreachable"
                self.send_response(status)
                for key, value in reply_headers.items():
                    if key.lower() not in HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("upstream")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    proxy = LoopbackProxy(args.upstream, args.delay, args.port)
    print(proxy.url, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        proxy._server.serve_forever()


if __name__ == "__main__":
    main()
