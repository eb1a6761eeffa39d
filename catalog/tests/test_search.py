"""Finding a procedure the way citizens type: without accents, with typos, with abbreviations."""

from __future__ import annotations

import datetime as dt

import pytest

from agencies.tests.factories import AgencyFactory
from catalog.models import Procedure, ProcedureVersion
from catalog.selectors import popular_procedures, procedure_search, sectors_with_counts
from catalog.tests.factories import ProcedureFactory, ProcedureVersionFactory, SectorFactory

pytestmark = pytest.mark.django_db

COMMUNE = ProcedureVersion.Level.COMMUNE


@pytest.fixture
def catalogue():
    civil = SectorFactory(code="H40-HT", name="Hộ tịch")
    certify = SectorFactory(code="H40-CT", name="Chứng thực")
    post = SectorFactory(code="H40-BCVT", name="Bưu chính")
    business = SectorFactory(code="H40-TLHKD", name="Thành lập và hoạt động của hộ kinh doanh")
    dost = AgencyFactory(name="Sở Khoa học và Công nghệ", edoc_code="H40.31", qcvn_code="000.00.31.H40")
    names = {
        "1.001193": ("Đăng ký khai sinh", civil, COMMUNE, None, 120),
        "1.000894": ("Đăng ký kết hôn", civil, COMMUNE, None, 80),
        "1.000656": ("Đăng ký khai tử", civil, COMMUNE, None, 30),
        "1.004884": ("Đăng ký lại kết hôn", civil, COMMUNE, None, 2),
        "1.004772": ("Đăng ký khai sinh kết hợp nhận cha, mẹ, con", civil, COMMUNE, None, 5),
        "1.004873": ("Cấp bản sao trích lục hộ tịch", civil, COMMUNE, None, 40),
        "2.000815": ("Chứng thực bản sao từ bản chính giấy tờ, văn bản", certify, COMMUNE, None, 300),
        "1.004471": ("Cấp giấy phép bưu chính", post, "province", dost, 3),
        "1.004470": ("Sửa đổi, bổ sung giấy phép bưu chính", post, "province", dost, 1),
        "2.000720": ("Đăng ký thành lập hộ kinh doanh", business, COMMUNE, None, 60),
    }
    versions = {}
    for code, (name, sector, level, agency, popularity) in names.items():
        versions[code] = ProcedureVersionFactory(
            procedure=ProcedureFactory(code=code, popularity=popularity),
            name=name,
            sector=sector,
            level=level,
            competent_agency=agency,
            service_level="full_online" if level == "province" else "partial_online",
        )
    return versions


def names(results):
    return [version.name for version in results]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("khai sinh", "Đăng ký khai sinh"),
        ("Đăng ký khai sinh", "Đăng ký khai sinh"),
        ("dang ky ket hon", "Đăng ký kết hôn"),
        ("ĐĂNG KÝ KẾT HÔN", "Đăng ký kết hôn"),
        ("giay phep buu chinh", "Cấp giấy phép bưu chính"),
        ("cap ban sao", "Cấp bản sao trích lục hộ tịch"),
    ],
)
def test_accents_and_case_do_not_matter(catalogue, query, expected):
    assert names(procedure_search(query=query))[0] == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("khai sihn", "Đăng ký khai sinh"),
        ("dang ki ket hon", "Đăng ký kết hôn"),
        ("giay phep buu chin", "Cấp giấy phép bưu chính"),
        ("chung thuc ban sao tu ban chinhh", "Chứng thực bản sao từ bản chính giấy tờ, văn bản"),
        ("ddawng kys khai sinh", "Đăng ký khai sinh"),  # Telex with the input method off
        ("d9a8ng ky1 ke6t ho6n", "Đăng ký kết hôn"),  # VNI
        ("dangky kethon", "Đăng ký kết hôn"),  # words run together
        ("chungthucbansao", "Chứng thực bản sao từ bản chính giấy tờ, văn bản"),
    ],
)
def test_small_typos_are_tolerated(catalogue, query, expected):
    assert names(procedure_search(query=query))[0] == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ks", "Đăng ký khai sinh"),
        ("hkd", "Đăng ký thành lập hộ kinh doanh"),
        ("công chứng giấy tờ", "Chứng thực bản sao từ bản chính giấy tờ, văn bản"),
        ("giấy khai sinh", "Đăng ký khai sinh"),
        ("lấy vợ", "Đăng ký kết hôn"),
        ("thủ tục đăng ký khai sinh như thế nào", "Đăng ký khai sinh"),
    ],
)
def test_abbreviations_and_everyday_words_are_understood(catalogue, query, expected):
    assert names(procedure_search(query=query))[0] == expected


def test_the_exact_name_comes_before_longer_names_that_contain_it(catalogue):
    results = names(procedure_search(query="đăng ký kết hôn"))
    assert results[:2] == ["Đăng ký kết hôn", "Đăng ký lại kết hôn"]
    results = names(procedure_search(query="Đăng ký khai sinh"))
    assert results[:2] == ["Đăng ký khai sinh", "Đăng ký khai sinh kết hợp nhận cha, mẹ, con"]


def test_the_accented_spelling_breaks_ties_between_words_that_fold_alike(catalogue):
    assert names(procedure_search(query="bản sao"))[0] in {
        "Cấp bản sao trích lục hộ tịch",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
    }


def test_a_procedure_code_finds_its_procedure(catalogue):
    assert names(procedure_search(query="1.004471")) == ["Cấp giấy phép bưu chính"]
    assert names(procedure_search(query="1004471"))[0] == "Cấp giấy phép bưu chính"


def test_unrelated_words_find_nothing(catalogue):
    assert procedure_search(query="xyzzy qwerty") == []


def test_filters_narrow_the_results(catalogue):
    assert set(names(procedure_search(query="giấy phép", sector="H40-BCVT"))) == {
        "Cấp giấy phép bưu chính",
        "Sửa đổi, bổ sung giấy phép bưu chính",
    }
    assert names(procedure_search(query="", level="province", service_level="full_online")) == [
        "Cấp giấy phép bưu chính",
        "Sửa đổi, bổ sung giấy phép bưu chính",
    ]
    assert len(procedure_search(agency="H40.31")) == 2
    assert procedure_search(query="khai sinh", level="province") == []
    assert procedure_search(query="khai sinh", service_level="full_online") == []


def test_a_commune_agency_filter_selects_the_commune_level_procedures(catalogue):
    AgencyFactory(name="UBND phường Tam Thanh", kind="commune", edoc_code="H40.01.02", qcvn_code="")
    results = procedure_search(query="khai sinh", agency="H40.01.02")
    assert names(results)[0] == "Đăng ký khai sinh"
    assert all(v.level == COMMUNE for v in procedure_search(agency="H40.01.02"))


def test_without_a_query_the_most_used_come_first(catalogue):
    assert names(procedure_search())[:3] == [
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
    ]
    assert names(popular_procedures(limit=2)) == names(procedure_search())[:2]


def test_the_most_used_order_follows_dossiers_received_since_the_index_was_built(catalogue):
    assert names(procedure_search())[0] == "Chứng thực bản sao từ bản chính giấy tờ, văn bản"
    Procedure.objects.filter(code="1.004471").update(popularity=1000)  # as dossier reception does
    assert names(procedure_search())[0] == "Cấp giấy phép bưu chính"


def test_only_versions_in_force_are_found(catalogue):
    ProcedureVersionFactory(name="Cấp giấy phép khai thác khoáng sản", effective_from=dt.date(2099, 1, 1))
    ProcedureVersionFactory(
        name="Cấp giấy phép khai thác cát",
        status=ProcedureVersion.Status.DRAFT,
        effective_from=None,
    )
    assert not any("khai thác" in name for name in names(procedure_search(query="khai thác")))
    assert names(procedure_search(query="khai thác", on=dt.date(2099, 1, 2)))[0] == (
        "Cấp giấy phép khai thác khoáng sản"
    )


def test_a_new_procedure_is_found_at_once(catalogue):
    assert procedure_search(query="thư viện") == []
    ProcedureVersionFactory(name="Đăng ký hoạt động thư viện tư nhân")
    assert names(procedure_search(query="thư viện")) == ["Đăng ký hoạt động thư viện tư nhân"]


def test_sectors_are_counted_by_procedures_in_force(catalogue):
    SectorFactory(code="H40-TV", name="Thư viện")
    counts = {s.code: s.procedure_count for s in sectors_with_counts()}
    assert counts == {"H40-HT": 6, "H40-CT": 1, "H40-BCVT": 2, "H40-TLHKD": 1}
    assert {s.code: s.procedure_count for s in sectors_with_counts(include_empty=True)}["H40-TV"] == 0
