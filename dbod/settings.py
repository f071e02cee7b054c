"""One settings object, read from command-line flags and the environment, used everywhere."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SOURCE = "https://en.wikipedia.org/w/api.php"
DEFAULT_MAPPINGS = "https://mappings.dbpedia.org/api.php"
DUMP_PREFIX = "dump:"

#: the environment variable of each setting
ENVIRONMENT = {
    "source": "DBOD_SOURCE",
    "mappings": "DBOD_MAPPINGS",
    "cache_dir": "DBOD_CACHE_DIR",
    "lang": "DBOD_LANG",
    "ttl": "DBOD_TTL",
    "cache_size": "DBOD_CACHE_SIZE",
    "contact": "DBOD_CONTACT",
    "incoming_limit": "DBOD_INCOMING_LIMIT",
    "sparql_timeout": "DBOD_SPARQL_TIMEOUT",
    "sparql_max_resources": "DBOD_SPARQL_MAX_RESOURCES",
    "sparql_max_results": "DBOD_SPARQL_MAX_RESULTS",
    "citations": "DBOD_CITATIONS",
}

_LANG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]+)*$")


class SettingsError(ValueError):
    """A setting has a value that cannot work; the message names the setting."""


def default_cache_dir(env: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_CACHE_HOME/dbod``, else ``~/.cache/dbod``."""
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dbod"


@dataclass(frozen=True)
class Settings:
    """Where pages come from, where mappings come from, where the cache lives, which language.

    ``source`` is a MediaWiki Action API URL or ``dump:PATH`` (an XML export);
    ``mappings`` is an Action API URL of a mappings wiki or a directory of XML exports.
    """

    source: str = DEFAULT_SOURCE
    mappings: str = DEFAULT_MAPPINGS
    cache_dir: Path = field(default_factory=default_cache_dir)
    lang: str = "en"
    #: seconds a cached page counts as fresh before its revision is checked again
    ttl: float = 3600.0
    #: bytes the cache may hold before it evicts (least recently used first)
    cache_size: int = 1 << 30
    #: who to contact about our requests (goes into the User-Agent sent to the wiki)
    contact: str | None = None
    #: linking pages read for a resource's incoming statements (0: none)
    incoming_limit: int = 50
    #: a SPARQL query's bounds: seconds, pages it may load, result rows (or triples)
    sparql_timeout: float = 30.0
    sparql_max_resources: int = 200
    sparql_max_results: int = 10_000
    #: add DBpedia's citation data (resources named by cited URLs and ISBNs) to extraction
    citations: bool = False

    @property
    def mappings_from_wiki(self) -> bool:
        """Whether the mappings come from a mappings wiki (else from a directory of exports)."""
        return _is_http_url(self.mappings)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cache_dir", Path(self.cache_dir).expanduser())
        if not (_is_http_url(self.source) or self.source.startswith(DUMP_PREFIX)):
            raise SettingsError(
                f"source {self.source!r} is neither an http(s) Action API URL nor dump:PATH"
            )
        if self.source.startswith(DUMP_PREFIX) and not self.source[len(DUMP_PREFIX) :]:
            raise SettingsError("source 'dump:' names no file")
        if not (_is_http_url(self.mappings) or Path(self.mappings).expanduser().is_dir()):
            raise SettingsError(
                f"mappings {self.mappings!r} is neither an http(s) Action API URL nor a directory"
            )
        if not _LANG.match(self.lang):
            raise SettingsError(f"lang {self.lang!r} is not a Wikipedia language code")
        numbers = {
            "ttl": float,
            "cache_size": int,
            "incoming_limit": int,
            "sparql_timeout": float,
            "sparql_max_resources": int,
            "sparql_max_results": int,
        }
        if isinstance(self.citations, str):
            object.__setattr__(self, "citations", self.citations.lower() in ("1", "true", "yes"))
        for name, kind in numbers.items():
            try:
                value = kind(getattr(self, name))
            except (TypeError, ValueError):
                raise SettingsError(f"{name} {getattr(self, name)!r} is not a number") from None
            if value < 0:
                raise SettingsError(f"{name} {value!r} is negative")
            object.__setattr__(self, name, value)

    @property
    def dump_path(self) -> Path | None:
        """The dump file when ``source`` is ``dump:PATH``, else None."""
        if self.source.startswith(DUMP_PREFIX):
            return Path(self.source[len(DUMP_PREFIX) :]).expanduser()
        return None

    @classmethod
    def load(cls, env: Mapping[str, str] = os.environ, **flags: object) -> Settings:
        """Defaults, overridden by the environment, overridden by flags that are not None."""
        values: dict[str, object] = {
            name: env[variable] for name, variable in ENVIRONMENT.items() if variable in env
        }
        if "cache_dir" not in values:
            values["cache_dir"] = default_cache_dir(env)
        values.update({name: value for name, value in flags.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]


def _is_http_url(value: str) -> bool:
    return value.startswith(("http://", "https://")) and len(value) > len("https://")
