"""Process and port helpers shared by the testbed scripts (stdlib only)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
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
