"""Cache backends behind one small interface."""

from cache.base import Cache, CacheStats, LockTimeout, make_key, split_key
from cache.disk import DiskCache

__all__ = ["Cache", "CacheStats", "DiskCache", "LockTimeout", "make_key", "split_key"]
