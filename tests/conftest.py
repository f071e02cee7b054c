"""Shared fixtures: the path of ../shared/data and the real services tests talk to.

A test whose prerequisites are missing skips with the reason, except under ``CI=true``,
where a missing prerequisite is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> None:
    """Skip the current test for ``reason``, or fail it under CI."""
    if IN_CI:
        pytest.fail(f"required under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The directory of real test inputs (../shared/data, or $DBOD_SHARED_DATA)."""
    path = Path(os.environ.get("DBOD_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))
    if not (path / "dbpedia").is_dir():
        unavailable(f"the shared test data is not at {path}")
    return path
