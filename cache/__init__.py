"""Cache backends behind one small interface."""

from cache.base import Cache, CacheStats, make_key, split_key
from cache.disk import DiskCache

__all__ = ["Cache", "CacheStats", "DiskCache", "make_key", "split_key"]
