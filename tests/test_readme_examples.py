"""The README's Python examples, run as written: against a real ``dbod serve`` (its address
substituted for the documented http://127.0.0.1:8000) and, for ``dbod.open()``, over the MediaWiki
testbed named in the environment (DBOD_SOURCE, DBOD_MAPPINGS, DBOD_CACHE_DIR)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
#: the address the examples use (where ``dbod serve`` listens by default)
DOCUMENTED_URL = "http://127.0.0.1:8000"
_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def python_blocks() -> list[tuple[int, str]]:
    """Each ```python block of the README: (line of its first line of code, code)."""
    text = README.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, match.start(1)) + 1, match[1])
        for match in _PYTHON_BLOCK.finditer(text)
    ]


BLOCKS = python_blocks()


def test_the_readme_shows_every_way_in() -> None:
    code = "\n".join(block for _, block in BLOCKS)
    for usage in ("Client(", "AsyncClient(", "dbod.open(", ".sparql(", ".resources(", "iter_rows("):
        assert usage in code


@pytest.mark.parametrize(("line", "code"), BLOCKS, ids=[f"README.md:{line}" for line, _ in BLOCKS])
def test_readme_example_runs(
    line: int,
    code: str,
    live_server: str,
    mediawiki_api: str,
    shared_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DBOD_SOURCE", mediawiki_api)
    monkeypatch.setenv("DBOD_MAPPINGS", str(shared_data / "dbpedia"))
    monkeypatch.setenv("DBOD_CACHE_DIR", str(tmp_path / "cache"))
    source = "\n" * (line - 1) + code.replace(DOCUMENTED_URL, live_server)
    exec(compile(source, str(README), "exec"), {"__name__": "__main__"})  # tracebacks: README lines
    assert capsys.readouterr().out.strip(), "every example prints what it found"
