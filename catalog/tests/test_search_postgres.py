"""PostgreSQL's trigram pass: mangled words the vocabulary cannot read are still found."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.selectors import procedure_search, search_index
from catalog.tests.factories import ProcedureFactory, ProcedureVersionFactory, SectorFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def catalogue():
    civil = SectorFactory.create(code="H40-HT", name="Hộ tịch")
    for code, name in [
        ("1.001193", "Đăng ký khai sinh"),
        ("1.000894", "Đăng ký kết hôn"),
        ("1.000656", "Đăng ký khai tử"),
        ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản"),
    ]:
        ProcedureVersionFactory.create(
            procedure=ProcedureFactory.create(code=code), name=name, sector=civil, level="commune"
        )


def test_the_trigram_index_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_version_search_trgm'")
        row = cursor.fetchone()
    assert row is not None
    assert "gin_trgm_ops" in row[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("khaisinhh", "Đăng ký khai sinh"),
        ("khaisinhhh", "Đăng ký khai sinh"),
    ],
)
def test_trigram_similarity_finds_what_edit_distance_cannot(catalogue, query, expected):
    assert search_index().rank(query).hits == []  # the in-memory pass alone finds nothing
    with CaptureQueriesContext(connection) as queries:
        results = procedure_search(query=query)
    assert results[0].name == expected
    assert any("%>" in q["sql"] and "WORD_SIMILARITY" in q["sql"].upper() for q in queries)


def test_a_query_the_vocabulary_reads_does_not_touch_the_database_index(catalogue):
    procedure_search(query="khai sinh")  # warm the in-memory index
    with CaptureQueriesContext(connection) as queries:
        results = procedure_search(query="khai sihn")
    assert results[0].name == "Đăng ký khai sinh"
    assert not any("%>" in q["sql"] for q in queries)
