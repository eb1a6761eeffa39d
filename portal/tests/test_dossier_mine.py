"""Hồ sơ của tôi: the applicant's dossiers by where they stand, each with its stage and due date;
a supplement request with its items, reason and the form to answer it; a bounded number of
queries however many dossiers there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.models import DossierFile, Status
from dossiers.services import dossier_withdraw
from dossiers.tests.factories import MONDAY_MORNING, online_draft, received_dossier, submitted_dossier
from portal.tests import files
from portal.tests.dossier_states import CORRECTION, SUPPLEMENT_REASON, H, returned, supplement_requested
from portal.tests.dossier_steps import hidden, text
from portal.tests.html_checks import assert_accessible_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dossier_world")]

MINE = reverse("portal:my_dossiers")


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def section(page: str, anchor: str) -> str:
    start = page.index(f'<h2 id="{anchor}">')
    end = page.find("</section>", start)
    return page[start:end]


def one_of_each(citizen, clerk, specialist, leader, agency):
    return {
        "draft": online_draft(applicant=citizen, commune=agency, attach=False),
        "supplement": supplement_requested(applicant=citizen, clerk=clerk, commune=agency),
        "submitted": submitted_dossier(applicant=citizen, commune=agency),
        "received": received_dossier(applicant=citizen, clerk=clerk, commune=agency),
        "returned": returned(
            applicant=citizen, clerk=clerk, specialist=specialist, leader=leader, commune=agency
        ),
    }


def test_dossiers_are_grouped_by_where_they_stand_with_stage_and_due_date(
    signed_in, citizen, other_citizen, clerk, specialist, leader, agency
):
    mine = one_of_each(citizen, clerk, specialist, leader, agency)
    withdrawn = submitted_dossier(applicant=citizen, commune=agency)
    dossier_withdraw(dossier=withdrawn, actor=citizen, reason="Nộp nhầm", now=MONDAY_MORNING + H)
    strangers = submitted_dossier(applicant=other_citizen, commune=agency)

    page = text(signed_in.get(MINE))

    drafts = section(page, "ban-nhap")
    assert mine["draft"].reference in drafts
    assert "Đang soạn, chưa nộp" in drafts
    assert reverse("portal:dossier_files", args=[mine["draft"].reference]) in drafts
    waiting = section(page, "can-bo-sung")
    assert "Chờ bổ sung hồ sơ" in waiting
    assert SUPPLEMENT_REASON in waiting
    assert CORRECTION in waiting
    running = section(page, "dang-giai-quyet")
    assert mine["submitted"].reference in running
    assert "Đã nộp, chờ tiếp nhận" in running
    assert mine["received"].code in running
    assert "Đã tiếp nhận" in running
    assert "Hẹn trả kết quả" in running
    assert "15/09/2025" in running
    done = section(page, "da-xong")
    assert mine["returned"].code in done
    assert "Đã trả kết quả" in done
    assert withdrawn.reference in done
    assert "Đã rút hồ sơ" in done
    assert strangers.reference not in page
    assert_accessible_page(page)


def test_a_supplement_request_comes_with_the_form_to_answer_it(signed_in, citizen, clerk, agency):
    asked = supplement_requested(applicant=citizen, clerk=clerk, commune=agency)
    page = text(signed_in.get(MINE))
    waiting = section(page, "can-bo-sung")
    assert f'action="{reverse("portal:dossier_supplement", args=[asked.reference])}"' in waiting
    assert (
        f'<label for="bs-{asked.reference}-item_1">1. Giấy tờ bắt buộc số 2 — bản chụp bị mờ</label>'
        in waiting
    )
    assert f'<label for="bs-{asked.reference}-item_2">2. {CORRECTION}</label>' in waiting

    response = signed_in.post(
        reverse("portal:dossier_supplement", args=[asked.reference]),
        {
            "lock_version": hidden(waiting, "lock_version"),
            "item_1": files.pdf("ban-ro.pdf"),
            "item_2": files.pdf("to-khai-sua.pdf"),
            "action": "submit",
        },
    )

    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == Status.SUBMITTED
    assert DossierFile.objects.filter(dossier=asked, kind=DossierFile.Kind.SUPPLEMENT).count() == 2
    assert 'id="can-bo-sung"' not in text(signed_in.get(MINE))


def test_nothing_yet_says_where_to_start(signed_in):
    page = text(signed_in.get(MINE))

    assert "Bạn chưa có hồ sơ nào." in page
    assert reverse("portal:procedure_list") in page


def test_the_list_costs_the_same_number_of_queries_for_many_dossiers(
    client, citizen, clerk, specialist, leader, agency
):
    one_of_each(citizen, clerk, specialist, leader, agency)
    client.force_login(citizen)
    client.get(MINE)  # warm the calendar snapshot and the session

    with CaptureQueriesContext(connection) as few:
        assert client.get(MINE).status_code == 200
    for _ in range(3):
        one_of_each(citizen, clerk, specialist, leader, agency)
    with CaptureQueriesContext(connection) as many:
        page = text(client.get(MINE))

    assert page.count('class="card dossier"') == 20
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 12


def test_my_dossiers_is_for_citizens(client, clerk):
    assert client.get(MINE).url.startswith(reverse("accounts:login"))
    client.force_login(clerk)
    assert client.get(MINE).status_code == 403


def test_the_navigation_links_to_my_dossiers_and_the_lookup(client, citizen, clerk):
    home = text(client.get(reverse("portal:home")))
    assert f'href="{MINE}">Hồ sơ của tôi</a>' in home
    assert f'href="{reverse("portal:dossier_lookup_form")}">Tra cứu hồ sơ</a>' in home
    client.force_login(clerk)
    staff_home = text(client.get(reverse("portal:home")))
    assert "Hồ sơ của tôi" not in staff_home  # staff follow dossiers in the back office
    assert "Tra cứu hồ sơ" in staff_home
