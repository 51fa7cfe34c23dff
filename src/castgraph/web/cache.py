"""A bounded LRU cache of whole answers: ``key -> (status, media type, body)``.

The dataset cannot change while the server runs (the store is opened read-only; a new build is
served by restarting), so an answer computed once is the answer. The cache is bounded by the
total size of the bodies it holds; an answer larger than an eighth of that is never kept.
"""

from __future__ import annotations

from collections import OrderedDict


class AnswerCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.max_item = max(0, max_bytes // 8)
        self._items: OrderedDict[tuple, tuple[int, str, bytes]] = OrderedDict()
        self.size = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple) -> tuple[int, str, bytes] | None:
        item = self._items.get(key)
        if item is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return item

    def put(self, key: tuple, item: tuple[int, str, bytes]) -> None:
        size = len(item[2])
        if size > self.max_item:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self.size -= len(old[2])
        self._items[key] = item
        self.size += size
        while self.size > self.max_bytes and self._items:
            _, dropped = self._items.popitem(last=False)
            self.size -= len(dropped[2])

    def __len__(self) -> int:
        return len(self._items)
