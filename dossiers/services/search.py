"""The folded text a dossier is found by in the back office's search (``Dossier.search_text``).

Written by the services when a dossier is created, when its applicant is changed and when it gets
its code; read by ``backoffice.queues.search``. Folded as the catalogue folds (``Đăng ký`` →
``dang ky``), so that a search typed with or without diacritics finds the same dossiers, on
SQLite with ``LIKE`` and on PostgreSQL through a trigram index.
"""

from __future__ import annotations

from catalog.search.text import fold
from dossiers.models import Dossier

MAX_LENGTH = 1000


def search_text_of(dossier: Dossier, *, code: str | None = None) -> str:
    """What ``dossier`` is found by: its code (``code`` when it is being given one) and reference,
    the applicant's name, organisation, identity number and phone, the procedure's name and
    national code — folded."""
    version = dossier.procedure_version
    parts = (
        code or dossier.code or "",
        dossier.reference,
        dossier.applicant_name,
        dossier.organization_name,
        dossier.applicant_national_id,
        dossier.applicant_phone,
        version.name,
        version.procedure.code,
    )
    return fold(" ".join(part for part in parts if part))[:MAX_LENGTH]


def search_phrase(text: str) -> str:
    """What a person typed, folded the same way: a dossier matches when its text holds it."""
    return fold(text)
