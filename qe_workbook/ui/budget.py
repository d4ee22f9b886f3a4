"""How many request-body bytes the page holds at once: each upload takes its declared length from one budget
before its body is read and gives it back when the request ends, so concurrent uploads cannot exhaust memory."""

from __future__ import annotations

import threading


class UploadBudget:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._taken = 0
        self._lock = threading.Lock()

    def take(self, size: int) -> bool:
        """Reserve `size` bytes; False (nothing reserved) when that would go over the limit."""
        with self._lock:
            if self._taken + size > self.limit:
                return False
            self._taken += size
            return True

    def give(self, size: int) -> None:
        with self._lock:
            self._taken -= size
