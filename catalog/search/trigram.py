"""PostgreSQL's second chance for a query the vocabulary could not read: trigram similarity.

When ``pg_trgm`` is installed (migration ``0003`` creates it and a GIN index on
``ProcedureVersion.search_text``), a query word that matched nothing, not even within two
typos, is looked up with ``word_similarity`` over the folded search text. This catches
mangled or run-together words ("khaisinhh", "chungthucbansao"). On SQLite there is no such
pass; the in-memory ranking alone answers.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import DatabaseError, connection

from catalog.models import ProcedureVersion

# word_similarity between the folded query and the folded search text.
THRESHOLD = 0.4
LIMIT = 40

_available: dict[str, bool] = {}


def trigram_available() -> bool:
    """Whether this database is PostgreSQL with the pg_trgm extension installed."""
    if connection.vendor != "postgresql":
        return False
    key = str(connection.settings_dict.get("NAME"))
    if key not in _available:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
                _available[key] = cursor.fetchone() is not None
        except DatabaseError:
            _available[key] = False
    return _available[key]


def trigram_matches(folded_query: str, *, day: dt.date) -> list[tuple[int, float]]:
    """(version id, similarity) of the versions in force whose search text resembles the query."""
    with connection.cursor() as cursor:
        # Lets the GIN index serve the ``%>`` operator at our threshold (session setting).
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(THRESHOLD)])
    rows = (
        ProcedureVersion.objects.in_force_on(day)
        .filter(search_text__trigram_word_similar=folded_query)
        .annotate(similarity=TrigramWordSimilarity(folded_query, "search_text"))
        .order_by("-similarity", "id")
        .values_list("id", "similarity")[:LIMIT]
    )
    return [(int(pk), float(similarity)) for pk, similarity in rows]
