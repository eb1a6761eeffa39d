"""The pieces search is made of: folding, input-method repair, typo distance, the thesaurus."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import ProcedureVersion
from catalog.search.text import compact_code, fold, ime_repairs, osa_distance
from catalog.search.thesaurus import thesaurus, thesaurus_from_data
from catalog.tests.factories import ProcedureVersionFactory


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon"),
        ("Sửa đổi, bổ sung giấy phép (bưu chính)", "sua doi bo sung giay phep buu chinh"),
        ("  nhiều   khoảng trắng ", "nhieu khoang trang"),
    ],
)
def test_folding_removes_accents_case_and_punctuation(text, folded):
    assert fold(text) == folded


def test_a_code_is_compared_without_its_dots():
    assert compact_code("2.000986.000.00.00.H40") == "20009860000000h40"


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("ddawng", "dang"),
        ("kys", "ky"),
        ("chuwngs", "chung"),
        ("thuwcj", "thuc"),
        ("d9a8ng", "dang"),
        ("truowngf", "truong"),
    ],
)
def test_words_typed_with_the_input_method_off_are_repaired(typed, plain):
    assert plain in ime_repairs(typed)


def test_typo_distance_counts_a_swap_as_one():
    assert osa_distance("sihn", "sinh", 2) == 1
    assert osa_distance("khai", "khai", 2) == 0
    assert osa_distance("giay", "phep", 2) == 3  # capped at the limit + 1


def test_the_thesaurus_file_is_well_formed():
    words = thesaurus()
    assert ("gpkd",) in words.phrases
    assert words.variants(["gpkd"])[1] == ["giay", "phep", "kinh", "doanh"]
    assert ("gia", "han") in words.modifiers


def test_filler_words_typed_with_accents_are_told_from_real_words():
    words = thesaurus_from_data({"stopwords": ["làm"]})
    assert words.stopword_mask(["lam", "giay"], ["làm", "giấy"]) == [True, False]
    assert words.stopword_mask(["lam", "nghiep"], ["lâm", "nghiệp"]) == [False, False]


def test_a_malformed_thesaurus_is_refused():
    with pytest.raises(ValueError, match="stopwords"):
        thesaurus_from_data({"stopwords": "làm"})


@pytest.mark.django_db
def test_reindex_refreshes_the_stored_search_text():
    version = ProcedureVersionFactory.create(name="Cấp giấy phép kinh doanh bán lẻ rượu")
    ProcedureVersion.objects.filter(pk=version.pk).update(search_text="")
    out = StringIO()
    call_command("catalog_reindex", stdout=out)
    version.refresh_from_db()
    assert "gpkd" in version.search_text.split()
    assert "Đã cập nhật nội dung tìm kiếm của 1 phiên bản" in out.getvalue()
