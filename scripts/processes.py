"""Process and port helpers shared by the testbed scripts (stdlib only)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

TAIL_LINES = 40


def tail(text: str, lines: int = TAIL_LINES) -> str:
    """The last ``lines`` lines of ``text``."""
    return "\n".join(text.rstrip().splitlines()[-lines:])


def file_tail(path: Path, lines: int = TAIL_LINES) -> str:
    """The last ``lines`` lines of a file ("" if unreadable)."""
    try:
        return tail(path.read_text(errors="replace"), lines)
    except OSError:
        return ""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_pid(pid: int, *, expect: str | None = None, timeout: float = 10.0) -> bool:
    """End ``pid``, and the process group it leads if it does (a server with workers).

    With ``expect``, do nothing unless the process's command line contains it (guards against a
    recycled pid). Returns whether a process was signalled.
    """
    if not pid_alive(pid):
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if expect is not None and cmdline.exists():
        try:
            if expect.encode() not in cmdline.read_bytes():
                return False
        except OSError:
            return False
    try:
        pgid = os.getpgid(pid)
    except ProcessLookupError:
        return False

    def signal_it(sig: int) -> None:
        try:
            if pgid == pid:  # our server leads its own group: its workers go with it
                os.killpg(pgid, sig)
            else:
                os.kill(pid, sig)
        except ProcessLookupError:
            pass

    signal_it(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            # Reap it if it is our child; otherwise just poll.
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done == pid:
                break
        except ChildProcessError:
            if not pid_alive(pid):
                break
        time.sleep(0.05)
    else:
        signal_it(signal.SIGKILL)
    if pgid == pid:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)  # stray workers, if any
    return True


class ServerTestbed:
    """A server process whose files live in ``directory`` (a temporary one it owns when None);
    :meth:`stop` ends it by its pid and cleans up; usable as a context manager."""

    pid_file: str  # the name of the pid file in ``directory``

    def __init__(self, directory: Path | str | None) -> None:
        self._owns_dir = directory is None
        self.directory = Path(directory) if directory is not None else None
        self.process: subprocess.Popen[bytes] | None = None

    def stop(self) -> None:
        """Stop the server by its pid (and remove the directory if the testbed made it)."""
        if self.process is not None:
            stop_pid(self.process.pid)
            with contextlib.suppress(subprocess.TimeoutExpired, ChildProcessError):
                self.process.wait(timeout=5)
            self.process = None
        if self.directory is not None:
            (self.directory / self.pid_file).unlink(missing_ok=True)
            if self._owns_dir:
                shutil.rmtree(self.directory, ignore_errors=True)
                self.directory = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
