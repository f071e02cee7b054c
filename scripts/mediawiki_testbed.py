#!/usr/bin/env python3
"""A real MediaWiki on 127.0.0.1, on SQLite, serving pages imported from XML exports.

Stdlib only. Importable (``MediaWikiTestbed``) and runnable::

    python scripts/mediawiki_testbed.py start --dir D [--port P] [--mappings-namespaces]
        [--no-updates FILE]... FILE...
    python scripts/mediawiki_testbed.py stop --dir D

``start`` prints the API URL and the server's pid and writes them to ``D/mediawiki.pid`` and
``D/api_url``; ``stop`` ends that server by its pid. Everything (config, SQLite files, logs,
decompressed exports) lives in the testbed directory: ``MW_CONFIG_FILE`` points at the testbed's
own LocalSettings.php, so several testbeds can run side by side and nothing global is touched.

It needs ``php`` (with pdo_sqlite) and MediaWiki 1.38+ (Debian: ``apt-get install mediawiki
php-sqlite3 php-cli``, installed at /usr/share/mediawiki; override with $DBOD_MEDIAWIKI_DIR).
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from processes import ServerTestbed, file_tail, free_port, pid_alive, stop_pid, tail

MEDIAWIKI_DIR = Path(os.environ.get("DBOD_MEDIAWIKI_DIR", "/usr/share/mediawiki"))

#: The namespaces of the DBpedia mappings wiki (mappings.dbpedia.org) that the ontology and
#: mapping exports use.
MAPPINGS_NAMESPACES: dict[int, str] = {
    200: "OntologyClass",
    201: "OntologyClass_talk",
    202: "OntologyProperty",
    203: "OntologyProperty_talk",
    204: "Mapping_en",
    205: "Mapping_en_talk",
}

PID_FILE = "mediawiki.pid"
URL_FILE = "api_url"
SERVER_LOG = "server.log"
ADMIN_PASSWORD = "testbed-admin-password-1!"
DEFAULT_MAX_ARTICLE_KB = 2048  # MediaWiki's own default


class TestbedError(RuntimeError):
    """A testbed could not be brought up; the message has the failing command's output tail."""


@dataclass
class ExportInfo:
    """What a MediaWiki XML export holds: its pages (namespace, title) and its biggest text."""

    path: Path
    pages: list[tuple[int | None, str]] = field(default_factory=list)
    max_text_bytes: int = 0


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def scan_export(path: Path) -> ExportInfo:
    """Count the ``<page>`` elements of an (uncompressed) export and measure its texts."""
    info = ExportInfo(path)
    for _, elem in ET.iterparse(path, events=("end",)):
        if _local(elem.tag) != "page":
            continue
        title, ns = "", None
        for child in elem:
            name = _local(child.tag)
            if name == "title":
                title = child.text or ""
            elif name == "ns" and child.text is not None:
                ns = int(child.text)
        for text in elem.iter():
            if _local(text.tag) == "text" and text.text:
                info.max_text_bytes = max(info.max_text_bytes, len(text.text.encode("utf-8")))
        info.pages.append((ns, title))
        elem.clear()
    return info


def _php_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class MediaWikiTestbed(ServerTestbed):
    """One MediaWiki served by ``php -S`` on 127.0.0.1, with its data in ``directory``.

    ``directory=None`` uses a fresh temporary directory, removed again by :meth:`stop`.
    """

    pid_file = PID_FILE

    def __init__(
        self,
        directory: Path | str | None = None,
        port: int | None = None,
        *,
        mediawiki_dir: Path | str = MEDIAWIKI_DIR,
        php: str = "php",
        workers: int = 4,
        meta_namespace: str = "Wikipedia",
        startup_timeout: float = 120.0,
        import_timeout: float = 1800.0,
    ) -> None:
        super().__init__(directory)
        self.port = port
        self.mediawiki_dir = Path(mediawiki_dir)
        self.php = php
        self.workers = workers
        # Project namespace (4) name; "Wikipedia" so that enwiki's ns-4 pages keep their titles.
        self.meta_namespace = meta_namespace
        self.startup_timeout = startup_timeout
        self.import_timeout = import_timeout
        self.api_url: str | None = None
        self.timings: dict[str, float] = {}

    # -- public API ---------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    @property
    def server_log(self) -> Path:
        assert self.directory is not None
        return self.directory / SERVER_LOG

    def start(
        self,
        exports: Sequence[Path | str],
        extra_namespaces: dict[int, str] | None = None,
        *,
        no_updates: Iterable[Path | str] = (),
    ) -> str:
        """Install, serve and import ``exports`` (in order); return the api.php URL.

        Exports listed in ``no_updates`` are imported with ``importDump.php --no-updates``
        (faster, but their link tables stay empty: fine for the mappings wiki pages).
        """
        if self.process is not None:
            raise TestbedError("this testbed is already started")
        exports = [Path(p) for p in exports]
        no_updates_set = {Path(p).resolve() for p in no_updates}
        if not no_updates_set <= {p.resolve() for p in exports}:
            raise TestbedError("no_updates names files that are not among the exports")
        self._check_prerequisites(exports)
        if self.directory is None:
            self.directory = Path(tempfile.mkdtemp(prefix="dbod-mediawiki-"))
        self.directory.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        try:
            self._start(exports, extra_namespaces or {}, no_updates_set)
        except BaseException:
            self.stop()
            raise
        self.timings["total"] = time.monotonic() - started
        assert self.api_url is not None
        return self.api_url

    def stop(self) -> None:
        """Stop the server by its pid, remove an owned directory, forget the API URL."""
        super().stop()
        self.api_url = None

    # -- steps --------------------------------------------------------------------------------

    def _check_prerequisites(self, exports: list[Path]) -> None:
        if shutil.which(self.php) is None:
            raise TestbedError(f"{self.php!r} is not on PATH")
        if not (self.mediawiki_dir / "maintenance" / "install.php").is_file():
            raise TestbedError(f"no MediaWiki at {self.mediawiki_dir}")
        for path in exports:
            if not path.is_file():
                raise TestbedError(f"no such export: {path}")

    def _env(self) -> dict[str, str]:
        assert self.directory is not None
        env = dict(os.environ)
        env["MW_CONFIG_FILE"] = str(self.directory / "conf" / "LocalSettings.php")
        env["PHP_CLI_SERVER_WORKERS"] = str(self.workers)
        return env

    def _run(self, args: list[str], log_name: str, timeout: float) -> str:
        """Run a command in the MediaWiki directory; its output goes to a log in the testbed."""
        assert self.directory is not None
        log = self.directory / "logs" / log_name
        log.parent.mkdir(exist_ok=True)
        try:
            with log.open("wb") as out:
                proc = subprocess.run(
                    args,
                    cwd=self.mediawiki_dir,
                    env=self._env(),
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    timeout=timeout,
                    check=False,
                )
        except subprocess.TimeoutExpired as exc:
            raise TestbedError(
                f"timed out after {timeout:.0f}s: {' '.join(args)}\n{file_tail(log)}"
            ) from exc
        output = log.read_text(errors="replace")
        if proc.returncode != 0:
            raise TestbedError(
                f"exit code {proc.returncode}: {' '.join(args)}\n--- output tail ---\n"
                f"{tail(output)}"
            )
        return output

    def _start(
        self, exports: list[Path], extra_namespaces: dict[int, str], no_updates: set[Path]
    ) -> None:
        assert self.directory is not None
        t0 = time.monotonic()
        prepared = [(self._decompress(path), path) for path in exports]
        infos = [scan_export(xml_path) for xml_path, _ in prepared]
        self.timings["prepare"] = time.monotonic() - t0

        t0 = time.monotonic()
        self._serve()  # first, so the port is ours; MediaWiki is only asked once installed
        self._install()
        max_bytes = max((info.max_text_bytes for info in infos), default=0)
        self._configure(extra_namespaces, max_bytes)
        self._wait_until_ready()
        self.timings["install"] = time.monotonic() - t0

        for index, ((xml_path, original), info) in enumerate(zip(prepared, infos, strict=True)):
            t0 = time.monotonic()
            args = [self.php, "maintenance/importDump.php"]
            if original.resolve() in no_updates:
                args.append("--no-updates")
            args.append(str(xml_path))
            output = self._run(args, f"import-{index}-{original.name}.log", self.import_timeout)
            self._verify_import(original, info, output)
            self.timings[f"import {original.name}"] = time.monotonic() - t0

        t0 = time.monotonic()
        self._run([self.php, "maintenance/initSiteStats.php", "--update"], "sitestats.log", 300)
        self.timings["site stats"] = time.monotonic() - t0

    def _decompress(self, path: Path) -> Path:
        """Exports go to importDump.php uncompressed (Debian's php has no bzip2 module)."""
        assert self.directory is not None
        opener = {".bz2": bz2.open, ".gz": gzip.open}.get(path.suffix)
        if opener is None:
            return path.resolve()
        target_dir = self.directory / "exports"
        target_dir.mkdir(exist_ok=True)
        target = target_dir / (path.stem if path.stem.endswith(".xml") else path.stem + ".xml")
        if target.exists():
            target = target_dir / f"{len(list(target_dir.iterdir()))}-{target.name}"
        with opener(path, "rb") as src, target.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        return target

    def _serve(self) -> None:
        """Start ``php -S`` on 127.0.0.1 (retrying another free port if the chosen one is taken)."""
        assert self.directory is not None
        fixed_port = self.port is not None
        for _attempt in range(5):
            port = self.port if fixed_port else free_port()
            log = self.server_log.open("ab")
            try:
                proc = subprocess.Popen(
                    [
                        self.php,
                        "-d",
                        "display_errors=0",
                        "-d",
                        "log_errors=1",
                        "-S",
                        f"127.0.0.1:{port}",
                        "-t",
                        str(self.mediawiki_dir),
                    ],
                    cwd=self.mediawiki_dir,
                    env=self._env(),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: stopping takes the workers
                )
            finally:
                log.close()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    break
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        pass
                except OSError:
                    time.sleep(0.05)
                    continue
                if proc.poll() is None:
                    self.process, self.port = proc, port
                    self.api_url = f"http://127.0.0.1:{port}/api.php"
                    return
            if proc.poll() is None:
                stop_pid(proc.pid)
            proc.wait()
            if fixed_port or "in use" not in file_tail(self.server_log, 5):
                break
        raise TestbedError(
            f"php -S did not start\n--- server log ---\n{file_tail(self.server_log)}"
        )

    def _install(self) -> None:
        assert self.directory is not None
        conf, data = self.directory / "conf", self.directory / "data"
        conf.mkdir(exist_ok=True)
        data.mkdir(exist_ok=True)
        (conf / "LocalSettings.php").unlink(missing_ok=True)
        self._run(
            [
                self.php,
                "maintenance/install.php",
                "--dbtype",
                "sqlite",
                "--dbpath",
                str(data),
                "--dbname",
                "wiki",
                "--server",
                f"http://127.0.0.1:{self.port}",
                "--scriptpath",
                "",
                "--pass",
                ADMIN_PASSWORD,
                "--confpath",
                str(conf),
                "TestWiki",
                "Admin",
            ],
            "install.log",
            300,
        )

    def _configure(self, extra_namespaces: dict[int, str], max_text_bytes: int) -> None:
        assert self.directory is not None
        max_kb = max(DEFAULT_MAX_ARTICLE_KB, math.ceil(max_text_bytes / 1024) + 64)
        for sub in ("cache", "images", "tmp"):
            (self.directory / sub).mkdir(exist_ok=True)
        lines = [
            "",
            "# --- appended by scripts/mediawiki_testbed.py: a local test wiki ---",
            f"$wgMetaNamespace = {_php_string(self.meta_namespace)};",
            "$wgEnableAPI = true;  # always on since 1.32; harmless",
            "$wgRateLimits = [];",
            "$wgGroupPermissions['*']['noratelimit'] = true;",
            "$wgAPIMaxResultSize = 64 * 1024 * 1024;",
            f"$wgMaxArticleSize = {max_kb};  # KB, at least the biggest imported text",
            # Every process (web workers, maintenance scripts) must see the same data: no
            # per-process APCu cache that an import from the command line could leave stale.
            "$wgMainCacheType = CACHE_NONE;",
            "$wgMessageCacheType = CACHE_NONE;",
            "$wgParserCacheType = CACHE_DB;",
            # A throwaway database: no fsync per commit (imports run about 3x faster).
            "$wgDBservers = [ [ 'type' => 'sqlite', 'host' => '', 'dbname' => $wgDBname,",
            "    'user' => '', 'password' => '', 'dbDirectory' => $wgSQLiteDataDir,",
            "    'flags' => DBO_DEFAULT, 'load' => 1,",
            "    'variables' => [ 'synchronous' => 'OFF' ] ] ];",
            "$wgJobRunRate = 0;  # no jobs run inside web requests",
            "$wgEnableEmail = false;",
            "$wgEnableUploads = false;",
            "$wgShowExceptionDetails = true;",
            f"$wgCacheDirectory = {_php_string(str(self.directory / 'cache'))};",
            f"$wgUploadDirectory = {_php_string(str(self.directory / 'images'))};",
            f"$wgTmpDirectory = {_php_string(str(self.directory / 'tmp'))};",
        ]
        for number, name in sorted(extra_namespaces.items()):
            lines.append(f"$wgExtraNamespaces[{int(number)}] = {_php_string(name)};")
        with (self.directory / "conf" / "LocalSettings.php").open("a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    def _get(self, params: dict[str, str], timeout: float = 30.0) -> dict:
        assert self.api_url is not None
        body = urllib.parse.urlencode({**params, "format": "json", "formatversion": "2"})
        request = urllib.request.Request(self.api_url, data=body.encode(), method="POST")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def _wait_until_ready(self) -> None:
        """Until the API answers (the first request also fills the localisation cache)."""
        deadline = time.monotonic() + self.startup_timeout
        error: Exception | None = None
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                break
            try:
                reply = self._get({"action": "query", "meta": "siteinfo"}, timeout=60)
                if "query" in reply:
                    return
                error = TestbedError(f"unexpected reply: {reply}")
            except (OSError, ValueError) as exc:
                error = exc
            time.sleep(0.2)
        raise TestbedError(
            f"MediaWiki at {self.api_url} did not answer ({error})\n--- server log ---\n"
            f"{file_tail(self.server_log)}"
        )

    def _verify_import(self, original: Path, info: ExportInfo, output: str) -> None:
        """importDump.php can stop silently on a pathological page: check every title is there."""
        titles = list(dict.fromkeys(title for _, title in info.pages))
        missing: list[str] = []
        for start in range(0, len(titles), 50):
            batch = titles[start : start + 50]
            reply = self._get({"action": "query", "titles": "|".join(batch)})
            for page in reply.get("query", {}).get("pages", []):
                if page.get("missing") or page.get("invalid"):
                    missing.append(page.get("title", "?"))
        if missing:
            found = len(titles) - len(missing)
            raise TestbedError(
                f"{original.name}: only {found} of the {len(info.pages)} pages "
                f"({len(titles)} distinct titles) were imported; missing e.g. {missing[:10]}\n"
                f"--- importDump.php output tail ---\n{tail(output)}"
            )


# -- command line ------------------------------------------------------------------------------


def _cli_start(args: argparse.Namespace) -> int:
    directory = Path(args.dir).resolve()
    pid_file = directory / PID_FILE
    if pid_file.exists() and pid_alive(int(pid_file.read_text().split()[0])):
        print(f"a testbed is already running from {directory} (see {pid_file})", file=sys.stderr)
        return 1
    testbed = MediaWikiTestbed(directory, args.port, workers=args.workers)
    extra = MAPPINGS_NAMESPACES if args.mappings_namespaces else None
    exports = [*args.files, *args.no_updates]
    try:
        api_url = testbed.start(exports, extra, no_updates=args.no_updates)
    except TestbedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    pid = testbed.pid
    assert pid is not None
    pid_file.write_text(f"{pid}\n")
    (directory / URL_FILE).write_text(api_url + "\n")
    testbed.process = None  # the server outlives this command; `stop --dir` ends it
    print(api_url)
    print(f"pid {pid}")
    print(
        "timings (s): " + ", ".join(f"{k}={v:.1f}" for k, v in testbed.timings.items()),
        file=sys.stderr,
    )
    return 0


def _cli_stop(args: argparse.Namespace) -> int:
    pid_file = Path(args.dir) / PID_FILE
    if not pid_file.exists():
        print(f"no {pid_file}: nothing to stop", file=sys.stderr)
        return 1
    pid = int(pid_file.read_text().split()[0])
    stopped = stop_pid(pid, expect="php")
    pid_file.unlink()
    print(f"stopped pid {pid}" if stopped else f"pid {pid} was not running")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="install, serve and import; print the API URL and pid")
    start.add_argument("--dir", required=True, help="the testbed's directory (created)")
    start.add_argument("--port", type=int, help="default: a free port")
    start.add_argument("--workers", type=int, default=4, help="PHP_CLI_SERVER_WORKERS")
    start.add_argument(
        "--mappings-namespaces",
        action="store_true",
        help="add the DBpedia mappings wiki namespaces 200-205",
    )
    start.add_argument(
        "--no-updates",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="an export to import (after FILEs) without link table updates; repeatable",
    )
    start.add_argument("files", nargs="*", type=Path, metavar="FILE", help=".xml or .xml.bz2")
    stop = sub.add_parser("stop", help="stop the server started from --dir, by its pid")
    stop.add_argument("--dir", required=True)
    args = parser.parse_args(argv)
    if args.command == "start":
        if not args.files and not args.no_updates:
            parser.error("start needs at least one export FILE")
        return _cli_start(args)
    return _cli_stop(args)


if __name__ == "__main__":
    sys.exit(main())
