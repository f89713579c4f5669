"""HTTP caching for a read-only graph: ETags derived from the build, ``If-None-Match`` checks, and a bounded
in-memory cache of complete answers, so a repeated request costs a dictionary look-up.

Every answer is a function of the build and of the request (path, parameters, negotiated format), so an ETag
made from those is known before any work is done, and a 304 costs nothing.

>>> tag = etag("ab" * 32, "/sparql", "query=ASK{}", "json")
>>> if_none_match(f'W/"x", {tag}', tag)
True
>>> if_none_match(None, tag)
False
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

__all__ = ["AnswerCache", "CachedAnswer", "etag", "if_none_match"]


def etag(build_id: str, *parts: str) -> str:
    """A strong ETag: the build, then a digest of whatever else selects the representation."""
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return f'"{build_id[:16]}-{digest}"'


def if_none_match(header: str | None, tag: str) -> bool:
    """Whether an ``If-None-Match`` header matches ``tag`` (weak comparison, as RFC 9110 asks for GET)."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = tag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == bare for t in header.split(","))


@dataclass(frozen=True)
class CachedAnswer:
    """A complete 200 answer."""

    body: bytes
    content_type: str


class AnswerCache:
    """Least-recently-used answers, bounded by their total size in bytes; thread-safe.

    >>> c = AnswerCache(160)
    >>> for key in "abcdefghi": c.put(key, CachedAnswer(b"x" * 20, "text/plain"))
    >>> (c.get("a"), c.get("b") is not None)
    (None, True)
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedAnswer | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: str, answer: CachedAnswer) -> None:
        """Keep ``answer`` unless it alone would take more than an eighth of the cache."""
        size = len(answer.body)
        if size > self.capacity // 8:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._items[key] = answer
            self._size += size
            while self._size > self.capacity and self._items:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0
