#!/usr/bin/env python3
"""A real redis-server on 127.0.0.1, in the foreground as a child process, without persistence.

Stdlib only. Importable (``RedisTestbed``) and runnable::

    python scripts/redis_testbed.py start --dir D [--port P]   # prints the URL and the pid
    python scripts/redis_testbed.py stop --dir D

``start`` writes ``D/redis.pid`` and ``D/redis_url``; ``stop`` ends that server by its pid.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from processes import ServerTestbed, file_tail, free_port, pid_alive, stop_pid

PID_FILE = "redis.pid"
URL_FILE = "redis_url"
SERVER_LOG = "redis.log"


class TestbedError(RuntimeError):
    """The server could not be brought up; the message has its log's tail."""


def ping(port: int, host: str = "127.0.0.1", timeout: float = 1.0) -> bool:
    """Whether a Redis server answers PING on ``host:port`` (raw RESP over a socket)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisTestbed(ServerTestbed):
    """One ``redis-server`` on 127.0.0.1 (no RDB, no AOF), its files in ``directory``.

    ``directory=None`` uses a fresh temporary directory, removed again by :meth:`stop`.
    """

    pid_file = PID_FILE

    def __init__(
        self,
        directory: Path | str | None = None,
        port: int | None = None,
        *,
        redis_server: str = "redis-server",
        startup_timeout: float = 20.0,
    ) -> None:
        super().__init__(directory)
        self.port = port
        self.redis_server = redis_server
        self.startup_timeout = startup_timeout

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> str:
        """Start the server and wait until it answers PING; return its ``redis://`` URL."""
        if self.process is not None:
            raise TestbedError("this testbed is already started")
        executable = shutil.which(self.redis_server)
        if executable is None:
            raise TestbedError(f"{self.redis_server!r} is not on PATH")
        if self.directory is None:
            self.directory = Path(tempfile.mkdtemp(prefix="dbod-redis-"))
        self.directory.mkdir(parents=True, exist_ok=True)
        log_path = self.directory / SERVER_LOG
        fixed_port = self.port is not None
        try:
            for _attempt in range(5):
                port = self.port if fixed_port else free_port()
                assert port is not None
                with log_path.open("ab") as log:
                    proc = subprocess.Popen(
                        [
                            executable,
                            "--port",
                            str(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no",
                            "--daemonize",
                            "no",
                            "--dir",
                            str(self.directory),
                        ],
                        cwd=self.directory,
                        stdin=subprocess.DEVNULL,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                deadline = time.monotonic() + self.startup_timeout
                while time.monotonic() < deadline and proc.poll() is None:
                    if ping(port, timeout=0.5):
                        self.process, self.port = proc, port
                        return self.url
                    time.sleep(0.05)
                if proc.poll() is None:
                    stop_pid(proc.pid)
                proc.wait()
                if fixed_port or "in use" not in file_tail(log_path, 5):
                    break
            raise TestbedError(
                f"redis-server did not answer PING\n--- log ---\n{file_tail(log_path)}"
            )
        except BaseException:
            self.stop()
            raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start redis-server; print its URL and pid")
    start.add_argument("--dir", required=True, help="the testbed's directory (created)")
    start.add_argument("--port", type=int, help="default: a free port")
    stop = sub.add_parser("stop", help="stop the server started from --dir, by its pid")
    stop.add_argument("--dir", required=True)
    args = parser.parse_args(argv)
    directory = Path(args.dir).resolve()
    pid_file = directory / PID_FILE
    if args.command == "start":
        if pid_file.exists() and pid_alive(int(pid_file.read_text().split()[0])):
            print(f"a server is already running from {directory}", file=sys.stderr)
            return 1
        testbed = RedisTestbed(directory, args.port)
        try:
            url = testbed.start()
        except TestbedError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        pid = testbed.pid
        pid_file.write_text(f"{pid}\n")
        (directory / URL_FILE).write_text(url + "\n")
        testbed.process = None  # the server outlives this command; `stop --dir` ends it
        print(url)
        print(f"pid {pid}")
        return 0
    if not pid_file.exists():
        print(f"no {pid_file}: nothing to stop", file=sys.stderr)
        return 1
    pid = int(pid_file.read_text().split()[0])
    stopped = stop_pid(pid, expect="redis-server")
    pid_file.unlink()
    print(f"stopped pid {pid}" if stopped else f"pid {pid} was not running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
