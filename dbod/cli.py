"""The ``dbod`` command line."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from rdflib import Graph

from dbod import __version__
from dbod.core import Description, NotFound
from dbod.formats import FORMATS, serialize
from dbod.mappings_sync import load_mappings
from dbod.progress import Progress
from dbod.runtime import open_cache, open_core
from dbod.settings import DEFAULT_MAPPINGS, DEFAULT_SOURCE, ENVIRONMENT, Settings, SettingsError
from dbod.sources.mediawiki import MediaWikiError
from dbod.sparql_dataset import run_query
from extractors.titles import InvalidTitle
from sparql_lite import (
    AskResult,
    LimitExceeded,
    QuerySyntaxError,
    SelectResult,
    UnsupportedFeature,
    parse_query,
)
from sparql_lite import serialize as serialize_results

#: exit statuses besides 0 (success) and 2 (usage)
EXIT_NOT_FOUND = 1
EXIT_UPSTREAM = 3
EXIT_QUERY = 4

#: titles warmed per core call by ``dbod cache warm``
WARM_CHUNK = 200


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: global settings flags, then one subcommand per job."""
    parser = argparse.ArgumentParser(
        prog="dbod",
        description="DBpedia on Demand: DBpedia-faithful Linked Data from live Wikipedia.",
    )
    parser.add_argument("--version", action="version", version=f"dbod {__version__}")
    _settings_flags(parser)
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    fetch = commands.add_parser("fetch", help="write the graphs of pages to stdout")
    fetch.add_argument("titles", nargs="+", metavar="TITLE")
    fetch.add_argument("--format", choices=sorted(FORMATS), default="ttl")
    _settings_flags(fetch, suppress=True)
    fetch.set_defaults(handler=_fetch)

    cache = commands.add_parser("cache", help="inspect or maintain the cache")
    cache_commands = cache.add_subparsers(dest="cache_command", required=True, metavar="ACTION")
    stats = cache_commands.add_parser("stats", help="entries, size, hits and misses")
    stats.set_defaults(handler=_cache_stats)
    clear = cache_commands.add_parser("clear", help="remove every entry")
    clear.set_defaults(handler=_cache_clear)
    warm = cache_commands.add_parser("warm", help="fetch the titles listed in FILE (one a line)")
    warm.add_argument("file", type=Path, metavar="FILE")
    warm.set_defaults(handler=_cache_warm)
    for sub in (stats, clear, warm):
        _settings_flags(sub, suppress=True)

    query = commands.add_parser("query", help="run a SPARQL query in-process (no server)")
    query.add_argument("query", metavar="SPARQL")
    query.add_argument("--format", choices=["table", "json", "csv", "tsv", "ttl"], default="table")
    _settings_flags(query, suppress=True)
    query.set_defaults(handler=_query)

    serve = commands.add_parser("serve", help="run the web service (Linked Data, SPARQL)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    _settings_flags(serve, suppress=True)
    serve.set_defaults(handler=_serve)

    mappings = commands.add_parser("mappings", help="the DBpedia ontology and mappings")
    mapping_commands = mappings.add_subparsers(
        dest="mappings_command", required=True, metavar="ACTION"
    )
    sync = mapping_commands.add_parser("sync", help="(re)load and compile them from --mappings")
    _settings_flags(sync, suppress=True)
    sync.set_defaults(handler=_mappings_sync)
    return parser


def _settings_flags(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """The settings flags, accepted before or after the subcommand."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--source",
        default=default,
        help=f"MediaWiki Action API URL or dump:PATH [env DBOD_SOURCE; default {DEFAULT_SOURCE}]",
    )
    parser.add_argument(
        "--mappings",
        default=default,
        help="mappings wiki API URL or a directory of XML exports "
        f"[env DBOD_MAPPINGS; default {DEFAULT_MAPPINGS}]",
    )
    parser.add_argument("--cache-dir", default=default, help="cache directory [env DBOD_CACHE_DIR]")
    parser.add_argument(
        "--lang", default=default, help="wiki language code [env DBOD_LANG; default en]"
    )


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings the flags and the environment give."""
    return Settings.load(
        source=args.source, mappings=args.mappings, cache_dir=args.cache_dir, lang=args.lang
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = settings_from(args)
    except SettingsError as exc:
        parser.error(str(exc))
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.handler(args, settings)
    except (MediaWikiError, OSError, ValueError) as exc:
        print(f"dbod: {exc}", file=sys.stderr)
        return EXIT_UPSTREAM if isinstance(exc, MediaWikiError) else 1


def _fetch(args: argparse.Namespace, settings: Settings) -> int:
    outcomes = asyncio.run(_get_many(settings, args.titles))
    triples = []
    status = 0
    for title, outcome in outcomes.items():
        if isinstance(outcome, Description):
            triples.extend(outcome.triples)
            if outcome.stale:
                print(f"dbod: {title}: upstream unreachable, serving a stale copy", file=sys.stderr)
        else:
            status = max(status, _report(title, outcome))
    if triples:
        sys.stdout.write(serialize(triples, args.format))
    return status


async def _get_many(
    settings: Settings, titles: Sequence[str]
) -> dict[str, Description | Exception]:
    async with open_core(settings) as core:
        return await core.get_many(titles)


def _report(title: str, error: Exception) -> int:
    if isinstance(error, NotFound):
        print(f"dbod: {title}: not found", file=sys.stderr)
        return EXIT_NOT_FOUND
    if isinstance(error, InvalidTitle):
        print(f"dbod: {title!r}: invalid title: {error}", file=sys.stderr)
        return EXIT_NOT_FOUND
    print(f"dbod: {title}: {error}", file=sys.stderr)
    return EXIT_UPSTREAM


def _cache_stats(args: argparse.Namespace, settings: Settings) -> int:
    with open_cache(settings) as cache:
        stats = cache.stats()
    for name, value in asdict(stats).items():
        print(f"{name}: {value}")
    return 0


def _cache_clear(args: argparse.Namespace, settings: Settings) -> int:
    with open_cache(settings) as cache:
        removed = cache.clear()
    print(f"removed {removed} entries")
    return 0


def _cache_warm(args: argparse.Namespace, settings: Settings) -> int:
    titles = [line.strip() for line in args.file.read_text("utf-8").splitlines() if line.strip()]
    return asyncio.run(_warm(settings, titles))


async def _warm(settings: Settings, titles: list[str]) -> int:
    status = 0
    async with open_core(settings) as core:
        with Progress("warming", total=len(titles)) as progress:
            for start in range(0, len(titles), WARM_CHUNK):
                chunk = titles[start : start + WARM_CHUNK]
                for title, outcome in (await core.get_many(chunk)).items():
                    if isinstance(outcome, Exception):
                        status = max(status, _report(title, outcome))
                progress.advance(len(chunk))
    return status


def _query(args: argparse.Namespace, settings: Settings) -> int:
    try:
        result = asyncio.run(_run_query(settings, args.query))
    except (QuerySyntaxError, UnsupportedFeature, LimitExceeded) as exc:
        print(f"dbod: {exc}", file=sys.stderr)
        return EXIT_QUERY
    if isinstance(result, Graph):
        sys.stdout.write(serialize(result, "ttl"))
    elif args.format == "table":
        sys.stdout.write(_table(result))
    elif args.format == "ttl":
        print("dbod: --format ttl is for CONSTRUCT and DESCRIBE queries", file=sys.stderr)
        return 2
    else:
        sys.stdout.write(serialize_results(result, args.format).rstrip("\n") + "\n")
    return 0


async def _run_query(settings: Settings, text: str) -> SelectResult | AskResult | Graph:
    query = parse_query(text)
    async with open_core(settings) as core:
        loop = asyncio.get_running_loop()
        result, dataset = await asyncio.to_thread(run_query, core, loop, settings, query)
        if dataset.cache_only:
            print(
                "dbod: patterns anchored on no resource were answered from the cache only",
                file=sys.stderr,
            )
        if dataset.backlinks_truncated:
            print(
                f"dbod: a resource has more linking pages than the {settings.incoming_limit} read",
                file=sys.stderr,
            )
        return result


def _table(result: SelectResult | AskResult) -> str:
    if isinstance(result, AskResult):
        return f"{str(result.boolean).lower()}\n"
    names = [str(variable) for variable in result.variables]
    rows = [[term.n3() if term is not None else "" for term in row] for row in result.rows]
    widths = [max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(names)]
    lines = ["  ".join(name.ljust(width) for name, width in zip(names, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines) + f"\n({len(rows)} rows)\n"


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    load_mappings(settings)  # sync once, before workers start
    for name, variable in ENVIRONMENT.items():  # workers read their settings from here
        value = getattr(settings, name)
        if value is not None:
            os.environ[variable] = str(value)
    uvicorn.run(
        "dbod.web.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_level=args.log_level,
    )
    return 0


def _mappings_sync(args: argparse.Namespace, settings: Settings) -> int:
    compiled = load_mappings(settings, sync=True)
    ontology, mappings = compiled.ontology, compiled.mappings
    print(
        f"{len(ontology.classes)} classes, {len(ontology.properties)} properties, "
        f"{len(mappings.templates)} template mappings ({compiled.digest[:12]})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
