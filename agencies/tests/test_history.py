"""Renaming, merging and closing units: old rows stay, successors are linked, records keep their unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from accounts.models import Membership, Role, User
from agencies.models import Agency, AgencyHasHistory
from agencies.selectors import agency_on, agency_tree, current_successors, receiving_points
from agencies.services import agency_close, agency_merge, agency_rename
from agencies.tests.factories import AgencyFactory, CommuneFactory, DeskFactory

pytestmark = pytest.mark.django_db

MERGER_DAY = dt.date(2025, 3, 1)


def _staff_member_of(agency: Agency) -> Membership:
    user = User.objects.create_user(username=f"canbo{agency.pk}", kind=User.Kind.STAFF)
    return Membership.objects.create(
        user=user, agency=agency, role=Role.SPECIALIST, valid_from=agency.valid_from
    )


@pytest.fixture
def tttt():
    return AgencyFactory.create(
        name="Sở Thông tin và Truyền thông",
        short_name="Sở TT&TT",
        qcvn_code="000.00.20.H40",
        edoc_code="H40.20",
        valid_from=dt.date(2019, 1, 1),
    )


@pytest.fixture
def khcn():
    return AgencyFactory.create(
        name="Sở Khoa học và Công nghệ",
        short_name="Sở KH&CN",
        qcvn_code="000.00.21.H40",
        edoc_code="H40.21",
        valid_from=dt.date(2019, 1, 1),
    )


def test_merging_into_an_existing_department_keeps_the_old_row_and_links_it(tttt, khcn):
    membership = _staff_member_of(tttt)

    target = agency_merge(sources=[tttt], into=khcn, effective=MERGER_DAY, note="Nghị quyết 04/NQ-HĐND")

    assert target == khcn
    tttt.refresh_from_db()
    assert tttt.valid_to == MERGER_DAY
    assert tttt.change_note == "Nghị quyết 04/NQ-HĐND"
    assert list(tttt.successors.all()) == [khcn]
    assert list(khcn.predecessors.all()) == [tttt]
    # A record made under the old unit still names the old unit.
    membership.refresh_from_db()
    assert membership.agency.name == "Sở Thông tin và Truyền thông"
    assert current_successors(membership.agency) == [khcn]


def test_merging_into_a_new_unit_creates_it_with_the_first_sources_codes():
    tnmt = AgencyFactory.create(name="Sở Tài nguyên và Môi trường", valid_from=dt.date(2019, 1, 1))
    nnptnt = AgencyFactory.create(
        name="Sở Nông nghiệp và Phát triển nông thôn", valid_from=dt.date(2019, 1, 1)
    )

    new = agency_merge(
        sources=[nnptnt, tnmt],
        into_name="Sở Nông nghiệp và Môi trường",
        into_short_name="Sở NN&MT",
        effective=MERGER_DAY,
    )

    assert (new.edoc_code, new.qcvn_code) == (nnptnt.edoc_code, nnptnt.qcvn_code)
    assert new.valid_from == MERGER_DAY
    assert new.valid_to is None
    assert set(Agency.objects.filter(successors=new)) == {tnmt, nnptnt}
    assert agency_on(code=new.edoc_code, on=dt.date(2025, 2, 28)) == Agency.objects.get(pk=nnptnt.pk)
    assert agency_on(code=new.edoc_code, on=MERGER_DAY) == new


def test_renaming_closes_the_row_and_opens_a_successor_with_the_same_codes(tttt):
    membership = _staff_member_of(tttt)

    renamed = agency_rename(
        agency=tttt, new_name="Sở Chuyển đổi số", new_short_name="Sở CĐS", effective=dt.date(2026, 1, 1)
    )

    tttt.refresh_from_db()
    assert tttt.valid_to == dt.date(2026, 1, 1)
    assert (renamed.edoc_code, renamed.qcvn_code, renamed.short_name) == ("H40.20", "000.00.20.H40", "Sở CĐS")
    assert list(tttt.successors.all()) == [renamed]
    assert Agency.objects.count() == 2
    membership.refresh_from_db()
    assert str(membership.agency) == "Sở Thông tin và Truyền thông"


def test_renaming_a_commune_carries_its_desk_over_with_the_same_code():
    commune = CommuneFactory.create(name="Ủy ban nhân dân xã Cũ")
    desk = DeskFactory.create(parent=commune)

    renamed = agency_rename(agency=commune, new_name="Ủy ban nhân dân xã Mới", effective=dt.date(2026, 1, 1))

    (new_desk,) = renamed.children.all()
    assert new_desk.edoc_code == desk.edoc_code
    assert new_desk.valid_from == dt.date(2026, 1, 1)
    desk.refresh_from_db()
    assert desk.valid_to == dt.date(2026, 1, 1)
    assert list(desk.successors.all()) == [new_desk]
    assert list(receiving_points(on=dt.date(2025, 12, 31))) == [desk]
    assert list(receiving_points(on=dt.date(2026, 1, 1))) == [new_desk]


def test_successors_are_followed_through_several_changes(tttt, khcn):
    agency_merge(sources=[tttt], into=khcn, effective=MERGER_DAY)
    renamed = agency_rename(
        agency=khcn, new_name="Sở Khoa học, Công nghệ và Số", effective=dt.date(2026, 1, 1)
    )

    assert current_successors(tttt, on=dt.date(2025, 6, 1)) == [khcn]
    assert current_successors(tttt, on=dt.date(2026, 6, 1)) == [renamed]
    assert current_successors(renamed, on=dt.date(2026, 6, 1)) == [renamed]


def test_closing_a_district_ends_it_and_the_units_under_it_and_links_the_successors():
    district = AgencyFactory.create(
        name="Ủy ban nhân dân huyện Lộc Bình", kind="district", valid_from=dt.date(2019, 1, 1)
    )
    division = AgencyFactory.create(
        name="Phòng Văn hóa và Thông tin", kind="division", parent=district, valid_from=dt.date(2019, 1, 1)
    )
    loc_binh, mau_son = CommuneFactory.create(name="xã Lộc Bình"), CommuneFactory.create(name="xã Mẫu Sơn")

    closed = agency_close(
        agency=district,
        effective=dt.date(2025, 7, 1),
        note="Chính quyền hai cấp",
        successors=[loc_binh, mau_son],
    )

    assert closed.valid_to == dt.date(2025, 7, 1)
    division.refresh_from_db()
    assert division.valid_to == dt.date(2025, 7, 1)
    assert set(current_successors(division, on=dt.date(2025, 7, 1))) == {loc_binh, mau_son}


def test_the_tree_of_a_day_shows_who_was_under_whom():
    province = AgencyFactory.create(
        name="UBND tỉnh", kind="province", qcvn_code="", edoc_code="H40", valid_from=dt.date(2019, 1, 1)
    )
    district = AgencyFactory.create(
        name="UBND huyện",
        kind="district",
        parent=province,
        valid_from=dt.date(2019, 1, 1),
        valid_to=dt.date(2025, 7, 1),
    )
    commune = CommuneFactory.create(parent=province)
    DeskFactory.create(parent=commune)

    before = agency_tree(on=dt.date(2025, 6, 30))
    after = agency_tree(on=dt.date(2025, 7, 1))

    assert [node.agency for node in before] == [province]
    assert [child.agency for child in before[0].children] == [district]
    assert [child.agency.kind for child in after[0].children] == ["commune"]
    assert [node.agency.kind for node in after[0].walk()] == ["province", "commune", "one_stop_desk"]


def test_active_on_is_inclusive_of_valid_from_and_exclusive_of_valid_to(tttt, khcn):
    agency_merge(sources=[tttt], into=khcn, effective=MERGER_DAY)

    def active(day):
        return set(Agency.objects.active_on(day).values_list("name", flat=True))

    assert active(dt.date(2018, 12, 31)) == set()
    assert active(dt.date(2019, 1, 1)) == {"Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"}
    assert active(dt.date(2025, 2, 28)) == {"Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"}
    assert active(MERGER_DAY) == {"Sở Khoa học và Công nghệ"}


@pytest.mark.parametrize(
    ("effective", "message"),
    [
        (dt.date(2019, 1, 1), "Ngày hiệu lực phải sau ngày 01/01/2019"),
        (dt.date(2018, 5, 1), "Ngày hiệu lực phải sau ngày 01/01/2019"),
    ],
)
def test_a_change_dated_before_the_unit_began_is_refused(tttt, effective, message):
    with pytest.raises(ValidationError, match=message):
        agency_rename(agency=tttt, new_name="Tên khác", effective=effective)
    assert Agency.objects.count() == 1


def test_a_closed_unit_cannot_be_changed_again(tttt, khcn):
    agency_merge(sources=[tttt], into=khcn, effective=MERGER_DAY)

    with pytest.raises(ValidationError, match=r"đã hết hiệu lực .* từ 01/03/2025"):
        agency_rename(agency=tttt, new_name="Tên khác", effective=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="đã hết hiệu lực"):
        agency_close(agency=tttt, effective=dt.date(2026, 1, 1))


def test_a_merge_that_fails_half_way_writes_nothing(tttt, khcn):
    closed_target = AgencyFactory.create(valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2024, 1, 1))

    with pytest.raises(ValidationError, match="không hoạt động vào ngày 01/03/2025"):
        agency_merge(sources=[tttt, khcn], into=closed_target, effective=MERGER_DAY)
    tttt.refresh_from_db()
    khcn.refresh_from_db()
    assert tttt.valid_to is None
    assert khcn.valid_to is None


def test_merging_needs_exactly_one_target(tttt, khcn):
    with pytest.raises(ValidationError, match="không cả hai"):
        agency_merge(sources=[tttt], into=khcn, into_name="Sở mới", effective=MERGER_DAY)
    with pytest.raises(ValidationError, match="không cả hai"):
        agency_merge(sources=[tttt], effective=MERGER_DAY)


def test_a_unit_with_history_cannot_be_deleted_even_in_bulk(tttt, khcn):
    agency_merge(sources=[tttt], into=khcn, effective=MERGER_DAY)

    with pytest.raises(AgencyHasHistory, match="Không thể xóa Sở Thông tin và Truyền thông"):
        tttt.delete()
    with pytest.raises(ProtectedError):
        khcn.delete()  # it is the successor of a recorded merger
    with pytest.raises(ProtectedError):
        Agency.objects.all().delete()
    assert Agency.objects.count() == 2


def test_a_closed_unit_without_links_cannot_be_deleted_either():
    closed = AgencyFactory.create(valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2024, 1, 1))
    with pytest.raises(AgencyHasHistory):
        closed.delete()
    with pytest.raises(AgencyHasHistory):
        Agency.objects.filter(pk=closed.pk).delete()


def test_a_unit_without_history_can_still_be_deleted():
    mistake = AgencyFactory.create(name="Nhập nhầm")
    mistake.delete()
    assert not Agency.objects.exists()
