"""SQLite with a fair write lock: writers queue for one another instead of sleeping in SQLite's busy handler.

SQLite lets one writer in at a time and makes the others retry after sleeps that grow to 100 ms, so under a
few concurrent annotators the slowest request waits hundreds of milliseconds for a lock held for two. Here a
transaction first takes a lock in this process (waiters wake the moment it is free) and then a file lock
beside the database shared with the other processes (web, worker, beat), and only then BEGINs.
"""
from __future__ import annotations

import fcntl
import os
import threading
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_process_locks: dict[str, threading.Lock] = {}
_process_locks_guard = threading.Lock()


def _process_lock(path: str) -> threading.Lock:
    with _process_locks_guard:
        return _process_locks.setdefault(path, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._write_lock_fd: int | None = None
        self._write_lock_held = False

    def _lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return name + ".writelock"

    def _timeout(self) -> float:
        return float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))

    def _write_lock_acquire(self) -> None:
        path = self._lock_path()
        if path is None or self._write_lock_held:
            return
        deadline = time.monotonic() + self._timeout()
        local = _process_lock(path)
        if not local.acquire(timeout=self._timeout()):
            raise OperationalError("database is locked (another transaction in this process held it too long)")
        try:
            if self._write_lock_fd is None:
                self._write_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            pause = 0.0002
            while True:
                try:
                    fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    # Another process writes; poll briefly rather than SQLite's long sleeps.
                    if time.monotonic() > deadline:
                        raise OperationalError("database is locked (another process held it too long)") from None
                    time.sleep(pause)
                    pause = min(pause * 2, 0.002)
        except BaseException:
            local.release()
            raise
        self._write_lock_held = True

    def _write_lock_release(self) -> None:
        if not self._write_lock_held:
            return
        self._write_lock_held = False
        try:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)
        finally:
            _process_lock(self._lock_path()).release()

    def _start_transaction_under_autocommit(self):
        self._write_lock_acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._write_lock_release()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._write_lock_release()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._write_lock_release()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._write_lock_release()
            if self._write_lock_fd is not None:
                os.close(self._write_lock_fd)
                self._write_lock_fd = None
