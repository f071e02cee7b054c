"""Shared fixtures: the path of ../shared/data and the real services tests talk to.

A test whose prerequisites are missing skips with the reason, except under ``CI=true``,
where a missing prerequisite is a failure.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

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


# --- real services on 127.0.0.1 (scripts/mediawiki_testbed.py, scripts/redis_testbed.py) ---

SCRIPTS_DIR = PROJECT_ROOT / "scripts"


def _testbed_module(name: str) -> ModuleType:
    """Import a module from scripts/ (a directory of runnable scripts, not a package)."""
    if str(SCRIPTS_DIR) not in sys.path:
        sys.path.insert(0, str(SCRIPTS_DIR))
    return importlib.import_module(name)


def require_mediawiki() -> ModuleType:
    """scripts/mediawiki_testbed.py, once php (with pdo_sqlite) and MediaWiki are there."""
    mw = _testbed_module("mediawiki_testbed")
    if shutil.which("php") is None:
        unavailable("php is not installed (apt-get install php-cli php-sqlite3)")
    if not (mw.MEDIAWIKI_DIR / "maintenance" / "install.php").is_file():
        unavailable(f"MediaWiki is not installed at {mw.MEDIAWIKI_DIR} (apt-get install mediawiki)")
    probe = subprocess.run(
        ["php", "-r", "exit(extension_loaded('pdo_sqlite') ? 0 : 1);"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        unavailable("php has no pdo_sqlite (apt-get install php-sqlite3)")
    return mw


def mediawiki_exports(shared_data: Path) -> tuple[list[Path], list[Path]]:
    """The exports the MediaWiki testbed serves: (Wikipedia pages, mappings wiki pages).

    The Wikipedia pages are imported with link table updates (tests read backlinks); the
    mappings wiki pages need none and are imported with ``--no-updates``.
    """
    wikipedia = [
        *sorted((shared_data / "wikipedia" / "gensim").glob("*.bz2")),
        shared_data / "dbpedia" / "minidump_en_wiki.xml.bz2",
    ]
    mappings = [
        shared_data / "dbpedia" / "Mapping_en.xml",
        shared_data / "dbpedia" / "ontology.xml",
    ]
    return wikipedia, mappings


@pytest.fixture(scope="session")
def mediawiki_api(shared_data: Path):
    """The api.php URL of one real MediaWiki for the session, serving the real Wikipedia pages of
    shared_data (gensim dumps + DBpedia minidump) and the DBpedia mappings wiki (ontology and
    Mapping_en pages, namespaces 200-205). Starting it with all imports takes about 25 s.

    For fast local iteration, start one yourself and point the tests at it:
        python scripts/mediawiki_testbed.py start --dir /tmp/mw --mappings-namespaces \\
            ../shared/data/wikipedia/gensim/*.bz2 ../shared/data/dbpedia/minidump_en_wiki.xml.bz2 \\
            --no-updates ../shared/data/dbpedia/Mapping_en.xml \\
            --no-updates ../shared/data/dbpedia/ontology.xml
        export DBOD_TESTBED_API=$(cat /tmp/mw/api_url)    # used as is, nothing is started
        ...
        python scripts/mediawiki_testbed.py stop --dir /tmp/mw
    """
    external = os.environ.get("DBOD_TESTBED_API")
    if external:
        yield external
        return
    mw = require_mediawiki()
    wikipedia, mappings = mediawiki_exports(shared_data)
    for path in (*wikipedia, *mappings):
        if not path.is_file():
            unavailable(f"missing test data: {path}")
    with mw.MediaWikiTestbed() as testbed:
        yield testbed.start([*wikipedia, *mappings], mw.MAPPINGS_NAMESPACES, no_updates=mappings)


@pytest.fixture(scope="session")
def redis_url():
    """``redis://127.0.0.1:PORT/0`` of a real redis-server (no persistence) for the session."""
    if shutil.which("redis-server") is None:
        unavailable("redis-server is not installed (apt-get install redis-server)")
    rt = _testbed_module("redis_testbed")
    with rt.RedisTestbed() as testbed:
        yield testbed.start()


@pytest.fixture(scope="session")
def compiled(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    """The DBpedia ontology and English mappings compiled from the shared exports."""
    from dbod.compiled import compile_pages, pages_from_exports

    cache = tmp_path_factory.mktemp("compiled-cache")
    pages = pages_from_exports(shared_data / "dbpedia", "en", cache / "dumps")
    return compile_pages(*pages, "en", cache)


@pytest.fixture(scope="session")
def minidump(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    """DBpedia's English minidump as a DumpSource."""
    from dbod.sources.dump import DumpSource

    return DumpSource(
        shared_data / "dbpedia" / "minidump_en_wiki.xml.bz2", tmp_path_factory.mktemp("minidump")
    )


@pytest.fixture
def counting_proxy(mediawiki_api: str):
    """A loopback proxy in front of the MediaWiki testbed that counts the requests reaching it;
    yields (proxy, the API URL through the proxy)."""
    proxy_module = _testbed_module("loopback_proxy")
    split = mediawiki_api.split("/", 3)
    with proxy_module.LoopbackProxy("/".join(split[:3])) as proxy:
        yield proxy, f"{proxy.url}/{split[3]}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    return _testbed_module("processes").free_port()


def start_server(source: str, mappings: Path, cache_dir: Path, *extra: str):
    """``dbod serve`` (real uvicorn) on a free loopback port; returns (process, base URL)."""
    import time
    import urllib.request

    port = free_port()
    log = (cache_dir.parent / f"serve-{port}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "dbod.cli", "--source", source, "--mappings", str(mappings),
         "--cache-dir", str(cache_dir), "serve", "--port", str(port), *extra],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dbod serve exited with {process.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(base + "/health", timeout=1):
                return process, base
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"dbod serve did not answer within 60 s; see {log.name}")


def stop_server(process) -> None:  # type: ignore[no-untyped-def]
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def live_server(mediawiki_api: str, shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    """Base URL of ``dbod serve`` on loopback with the MediaWiki testbed as its source."""
    process, base = start_server(
        mediawiki_api, shared_data / "dbpedia", tmp_path_factory.mktemp("serve") / "cache"
    )
    yield base
    stop_server(process)
