"""Imported by the batch's fork server before it forks workers: the dictionaries proofreading
kinds read on first use are loaded once there and shared by every worker (copy-on-write), so
neither a worker's start nor its first document pays for them.

Not a kind (the leading underscore keeps it out of the registry and the docs).
"""

from __future__ import annotations

from checker.kinds._chars import confusable
from checker.kinds._typo_index import typo_index

try:
    typo_index()
    confusable("进", "荐")  # reads the shape table
except (OSError, RuntimeError, ImportError):  # missing data: the kinds report it when they run
    pass
