"""DBpedia on Demand: DBpedia-faithful Linked Data extracted from live Wikipedia, on request."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dbpedia-on-demand")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
