"""Run state in sqlite: one row per capture, so an interrupted run resumes per url.

Statuses: listed (known, not fetched), fetched (in the WARC store), failed (gave up, with
the reason and attempts), skipped (the archive holds an error page or nothing: nothing to
fetch again). WAL mode and one commit per change: `kill -9` loses at most the capture in
flight, and the WARC store is the source of truth for what was fetched (`adopt`). A full
or read-only disk is a StorageError naming the database, not a traceback.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..errors import StorageError, storage_errors
from ..models import Listing

__all__ = ["State"]

_SCHEMA = """
create table if not exists captures (
    key text primary key,
    source text not null,
    url text not null,
    timestamp text,
    listing text not null,
    status text not null default 'listed',
    reason text,
    attempts integer not null default 0,
    warc text,
    stored text  -- final url and capture time of what was stored: one copy per capture
);
create index if not exists captures_status on captures(status);
create index if not exists captures_stored on captures(stored);
"""


# sqlite's names for a disk that is full, read-only or failing (extended codes extend them),
# and its messages for them (Python < 3.11 gives no name)
_DISK_CODES = ("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN")
_DISK_MESSAGES = ("disk is full", "readonly database", "disk I/O error", "unable to open")


def _is_disk_error(e: sqlite3.OperationalError) -> bool:
    name = getattr(e, "sqlite_errorname", None)
    return name.startswith(_DISK_CODES) if name else any(m in str(e) for m in _DISK_MESSAGES)


@contextmanager
def _disk_errors(path: Path) -> Iterator[None]:
    """sqlite's "database or disk is full" and kin as one line naming the database."""
    try:
        yield
    except sqlite3.OperationalError as e:
        if not _is_disk_error(e):
            raise
        raise StorageError(f"{path}: {e}") from None


class _Connection(sqlite3.Connection):
    """A connection whose statements raise StorageError when the disk fails them."""

    path: Path

    def execute(self, *args, **kwargs) -> sqlite3.Cursor:  # type: ignore[override]
        with _disk_errors(self.path):
            return super().execute(*args, **kwargs)

    def executemany(self, *args, **kwargs) -> sqlite3.Cursor:  # type: ignore[override]
        with _disk_errors(self.path):
            return super().executemany(*args, **kwargs)

    def executescript(self, *args, **kwargs) -> sqlite3.Cursor:  # type: ignore[override]
        with _disk_errors(self.path):
            return super().executescript(*args, **kwargs)


class State:
    def __init__(self, path: Path) -> None:
        with storage_errors(path), _disk_errors(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, isolation_level=None, factory=_Connection)
        self.db.path = path
        self.db.execute("pragma journal_mode=wal")
        self.db.execute("pragma synchronous=normal")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def _many(self, sql: str, rows: Iterable[tuple]) -> int:
        """Run `sql` for every row in one transaction; return how many rows changed."""
        before = self.db.total_changes
        self.db.execute("begin")
        try:
            self.db.executemany(sql, rows)
        except BaseException:
            with suppress(sqlite3.Error, StorageError):  # sqlite may have rolled back already
                self.db.execute("rollback")
            raise
        self.db.execute("commit")
        return self.db.total_changes - before

    def add(self, listings: Iterable[Listing]) -> int:
        """Record listed captures (known ones keep their status); return how many are new."""
        return self._many(
            "insert or ignore into captures(key, source, url, timestamp, listing)"
            " values (?, ?, ?, ?, ?)",
            ((x.key, x.source, x.url, x.timestamp, json.dumps(x.as_dict())) for x in listings),
        )

    def pending(self, source: str | None = None, limit: int | None = None) -> Iterator[Listing]:
        sql = "select listing from captures where status = 'listed'"
        args: list = []
        if source:
            sql += " and source = ?"
            args.append(source)
        sql += " order by rowid"
        if limit is not None:
            sql += " limit ?"
            args.append(limit)
        for (blob,) in self.db.execute(sql, args).fetchall():
            yield Listing.from_dict(json.loads(blob))

    def stored_as(self, stored: str) -> str | None:
        """The key of a capture already stored as (final url, capture time), if any."""
        row = self.db.execute("select key from captures where stored = ?", (stored,)).fetchone()
        return row[0] if row else None

    def mark(
        self,
        key: str,
        status: str,
        *,
        reason: str | None = None,
        attempts: int = 0,
        warc: str | None = None,
        stored: str | None = None,
    ) -> None:
        self.db.execute(
            "update captures set status = ?, reason = ?, attempts = attempts + ?,"
            " warc = coalesce(?, warc), stored = coalesce(?, stored) where key = ?",
            (status, reason, attempts, warc, stored, key),
        )

    def adopt(self, found: dict[str, str]) -> int:
        """Mark captures the WARC store holds ({key: file name}) as fetched, in one
        transaction; return how many the state did not know as fetched. Doing it twice
        changes nothing, so recovery can repeat it after a crash."""
        return self._many(
            "update captures set status = 'fetched', reason = null, warc = ?"
            " where key = ? and status != 'fetched'",
            ((name, key) for key, name in found.items()),
        )

    def skip_listed(self, keys: Iterable[str], reason: str) -> int:
        """Mark captures still only listed as skipped (never fetched); return how many."""
        return self._many(
            "update captures set status = 'skipped', reason = ?"
            " where key = ? and status = 'listed'",
            ((reason, k) for k in keys),
        )

    def status_of(self, key: str) -> str | None:
        row = self.db.execute("select status from captures where key = ?", (key,)).fetchone()
        return row[0] if row else None

    def retry_failed(self) -> None:
        self.db.execute("update captures set status = 'listed' where status = 'failed'")
