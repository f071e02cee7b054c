"""The ``dbod`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dbod import __version__
from dbod.settings import DEFAULT_MAPPINGS, DEFAULT_SOURCE, Settings, SettingsError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: global settings flags, then one subcommand per job."""
    parser = argparse.ArgumentParser(
        prog="dbod",
        description="DBpedia on Demand: DBpedia-faithful Linked Data from live Wikipedia.",
    )
    parser.add_argument("--version", action="version", version=f"dbod {__version__}")
    parser.add_argument(
        "--source",
        help=f"MediaWiki Action API URL or dump:PATH [env DBOD_SOURCE; default {DEFAULT_SOURCE}]",
    )
    parser.add_argument(
        "--mappings",
        help="mappings wiki API URL or a directory of XML exports "
        f"[env DBOD_MAPPINGS; default {DEFAULT_MAPPINGS}]",
    )
    parser.add_argument("--cache-dir", help="cache directory [env DBOD_CACHE_DIR]")
    parser.add_argument("--lang", help="wiki language code [env DBOD_LANG; default en]")
    parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    return parser


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
        settings_from(args)
    except SettingsError as exc:
        parser.error(str(exc))
    if args.command is None:
        parser.print_help()
        return 0
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
