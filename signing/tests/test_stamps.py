"""The visible signature: what the stamps say and where they sit (Decree 30/2020 Appendix I)."""

from __future__ import annotations

import datetime as dt

from signing.stamps import BLUE, FONT_SIZE, RED, Placement, agency_stamp, person_stamp

MOMENT = dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.UTC)


def _person():
    return person_stamp(
        page_width=420,
        placement=Placement(),
        name="Hà Văn Quang",
        title="Phó Giám đốc Sở",
        agency_name="Sở Khoa học và Công nghệ",
        moment=MOMENT,
    )


def test_the_signer_stamp_names_the_person_position_agency_and_time_in_blue():
    stamp = _person()

    assert stamp.text.splitlines() == [
        "Ký bởi: Hà Văn Quang",
        "Phó Giám đốc Sở",
        "Sở Khoa học và Công nghệ",
        "Thời gian ký:",
        "2026-11-20T09:30:00+07:00",
    ]
    assert stamp.style.text_box_style.text_color == BLUE
    assert stamp.style.text_box_style.font_size == FONT_SIZE == 10


def test_the_agency_stamp_is_a_red_box_with_the_agency_and_iso_time_over_the_left_third():
    person = _person()
    seal = agency_stamp(
        person_box=person.box, agency_name="Trung tâm Phục vụ hành chính công phường Tam Thanh", moment=MOMENT
    )

    assert seal.style.border_color == RED
    assert seal.style.border_width == 1
    assert seal.style.text_box_style.text_color == RED
    assert seal.text.splitlines()[-1] == "2026-11-20T09:30:00+07:00"
    assert " ".join(seal.text.splitlines()[:-1]) == "Trung tâm Phục vụ hành chính công phường Tam Thanh"
    px1, _py1, px2, _py2 = person.box
    ax1, _ay1, ax2, _ay2 = seal.box
    assert ax2 == px1 + (px2 - px1) // 3
    assert ax1 >= 57  # stays inside an A5 page's 20 mm left margin


def test_a_percent_sign_in_a_name_is_printed_as_is():
    stamp = person_stamp(
        page_width=595, placement=Placement(), name="Quang", title="", agency_name="100% vốn", moment=MOMENT
    )

    assert "100%% vốn" in stamp.text  # pyHanko formats the stamp text with %-interpolation
