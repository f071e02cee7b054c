"""A minimal progress line on stderr (no dependency), quiet when stderr is not a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """``with Progress("warming", total=100) as bar: bar.advance()`` draws ``warming 42/100``."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._drawn = 0.0

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more items done and redraw (at most 10 times a second)."""
        self.done += count
        now = time.monotonic()
        if self.enabled and now - self._drawn >= 0.1:
            self._draw()
            self._drawn = now

    def _draw(self) -> None:
        of = f"/{self.total}" if self.total is not None else ""
        self.stream.write(f"\r{self.label} {self.done}{of}")
        self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.enabled:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
