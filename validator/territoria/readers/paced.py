"""A binary file that lets a streaming reader run only a few blocks ahead.

Why: pyarrow's streaming CSV reader reads its input in a background thread up
to 32 blocks ahead of the batches it has produced (the readahead is not an
option, see ARROW-12090). With 8 MB blocks that is up to 256 MB of raw bytes
held for nothing: the checks consume batches slower than the disk gives them.
Reading through this file, the reader's thread waits in ``read`` while it is
``ahead`` blocks beyond the batches handed out. A wait never lasts more than
``patience`` seconds, so a reader that needs more blocks than expected to
finish a batch (one record longer than a block) is slowed, never stuck.
"""
from __future__ import annotations

import io
import threading


class PacedFile(io.RawIOBase):
    def __init__(self, path: str, ahead: int = 3, patience: float = 0.5, skip: int = 0) -> None:
        super().__init__()
        self._handle = open(path, "rb")
        if skip:
            self._handle.seek(skip)
        self._ahead = ahead
        self._patience = patience
        self._reads = 0
        self._taken = 0
        self._turn = threading.Condition()

    def readable(self) -> bool:
        return True

    def batch_taken(self) -> None:
        """The consumer has taken one more batch: one more block may be read."""
        with self._turn:
            self._taken += 1
            self._turn.notify_all()

    def _wait_for_room(self) -> None:
        with self._turn:
            self._turn.wait_for(lambda: self._reads - self._taken < self._ahead or self.closed,
                                timeout=self._patience)
            self._reads += 1

    def read(self, size: int = -1) -> bytes:
        self._wait_for_room()
        return self._handle.read(size)

    def readinto(self, buffer) -> int:
        self._wait_for_room()
        return self._handle.readinto(buffer)

    def close(self) -> None:
        if not self.closed:
            self._handle.close()
            with self._turn:
                super().close()
                self._turn.notify_all()
