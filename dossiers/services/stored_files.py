"""Files stored during a request (API or page) that may still be rolled back.

A file reaches the storage before its ``DossierFile`` row is committed; when the request fails
later (a missing component, a refused transition), the transaction drops the rows and
:class:`StoredFiles` removes the files, so a refused request leaves nothing behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from types import TracebackType

from dossiers.models import DossierFile

logger = logging.getLogger(__name__)


class StoredFiles:
    """``with StoredFiles() as stored, transaction.atomic(): ... stored.add(record)``."""

    def __init__(self) -> None:
        self._records: list[DossierFile] = []

    def add(self, record: DossierFile) -> None:
        self._records.append(record)

    def add_all(self, records: Iterable[DossierFile]) -> None:
        self._records.extend(records)

    def __enter__(self) -> StoredFiles:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            return
        for record in self._records:
            if record.file.name:
                try:
                    record.file.storage.delete(record.file.name)
                except OSError:  # the request's own error matters more than a leftover file
                    logger.warning("could not remove %s after a refused request", record.file.name)
