"""The work queues over HTTP: what each role finds to do, the search, pagination, the counts on
the role home, a bounded number of queries however many rows, and several dossiers handed over
at once with a report per dossier."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import CitizenFactory
from backoffice.queues import queue_rows
from backoffice.tests.builders import at_step_now, code, fresh, received_now, submitted_now
from dossiers.models import Status
from dossiers.tests.factories import (
    commune_procedure,
    counter_dossier,
    dossier_at_step,
    received_dossier,
    submitted_dossier,
)

pytestmark = pytest.mark.django_db

TO_RECEIVE = "/can-bo/ho-so/hang-doi/cho-tiep-nhan/"
TO_PROCESS = "/can-bo/ho-so/hang-doi/can-xu-ly/"
TO_ASSIGN = "/can-bo/ho-so/hang-doi/cho-phan-cong/"
DUE_SOON = "/can-bo/ho-so/hang-doi/sap-den-han/"
OVERDUE = "/can-bo/ho-so/hang-doi/qua-han/"
SEARCH = "/can-bo/ho-so/"
BULK = "/can-bo/ho-so/chuyen-nhieu/"


def listing(client, user, url, **params) -> str:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return str(response.content.decode())


def test_online_submissions_wait_at_their_own_desk_only(client, clerk, clerk_other_agency, citizen, agency):
    dossier = submitted_now(applicant=citizen, commune=agency)

    mine = listing(client, clerk, TO_RECEIVE)
    theirs = listing(client, clerk_other_agency, TO_RECEIVE)

    assert dossier.reference in mine
    assert "Hoàng Thị Lan" in mine
    assert dossier.reference not in theirs
    assert "Không có hồ sơ nào chờ tiếp nhận." in theirs


def test_each_role_finds_its_own_work(client, clerk, specialist, leader, citizen, agency):
    waiting = received_now(applicant=citizen, clerk=clerk, commune=agency)
    appraising = at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    approving = at_step_now(3, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)

    clerk_work = listing(client, clerk, TO_PROCESS)
    specialist_work = listing(client, specialist, TO_PROCESS)
    leader_work = listing(client, leader, TO_PROCESS)

    assert code(waiting) in clerk_work
    assert code(appraising) not in clerk_work
    assert code(appraising) in specialist_work
    assert code(approving) not in specialist_work
    assert code(approving) in leader_work
    assert code(waiting) not in leader_work


def test_the_leader_sees_steps_nobody_is_assigned_to(client, clerk, leader, citizen, agency):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)
    client.force_login(clerk)
    client.post(
        f"/can-bo/ho-so/{dossier.code}/thao-tac/chuyen-xu-ly/", {"lock_version": dossier.lock_version}
    )

    assert code(dossier) in listing(client, leader, TO_ASSIGN)


def test_overdue_and_due_soon_tell_the_head_what_is_late(client, clerk, leader, citizen, agency):
    late = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    soon = received_now(
        applicant=citizen,
        clerk=clerk,
        commune=agency,
        version=commune_procedure(processing_time=4, unit="working_hours"),
    )
    later = received_now(applicant=citizen, clerk=clerk, commune=agency)

    overdue = listing(client, leader, OVERDUE)
    due_soon = listing(client, leader, DUE_SOON)

    assert code(late) in overdue
    assert code(soon) not in overdue
    assert "Quá hạn " in overdue
    assert code(soon) in due_soon
    assert code(later) not in due_soon
    assert code(late) not in due_soon


def test_the_search_finds_by_code_applicant_identity_and_procedure(client, clerk, citizen, agency):
    birth = received_dossier(
        applicant=citizen, clerk=clerk, commune=agency, version=commune_procedure(name="Đăng ký khai sinh")
    )
    other = CitizenFactory.create(full_name="Mã Văn Tài", national_id="020199004321")
    marriage = received_dossier(
        applicant=other, clerk=clerk, commune=agency, version=commune_procedure(name="Đăng ký kết hôn")
    )

    by_code = listing(client, clerk, SEARCH, q=code(birth)[-9:])
    by_name = listing(client, clerk, SEARCH, q="Mã Văn")
    by_id = listing(client, clerk, SEARCH, q="020199004321")
    by_procedure = listing(client, clerk, SEARCH, q="kết hôn")
    by_status = listing(client, clerk, SEARCH, status=Status.RECEIVED, channel="counter")

    assert code(birth) in by_code
    assert code(marriage) not in by_code
    assert code(marriage) in by_name
    assert code(birth) not in by_name
    assert code(marriage) in by_id
    assert code(birth) not in by_id
    assert code(marriage) in by_procedure
    assert code(birth) not in by_procedure
    assert "Không có hồ sơ nào khớp với điều kiện tìm." in by_status


def test_the_search_ignores_diacritics_and_case_and_follows_the_dossier(client, clerk, citizen, agency):
    other = CitizenFactory.create(full_name="Nông Thị Đào", national_id="020199007654", phone="0912345678")
    counter = counter_dossier(clerk=clerk, commune=agency)  # no code yet: found by its reference
    dossier = received_dossier(
        applicant=other, clerk=clerk, commune=agency, version=commune_procedure(name="Đăng ký kết hôn")
    )

    found = {
        typed: listing(client, clerk, SEARCH, q=typed)
        for typed in (
            "nong thi dao",
            "NÔNG THỊ ĐÀO",
            "Nong Thi Dao",
            "dang ky ket hon",
            "0912345",
            code(dossier),
        )
    }
    by_reference = listing(client, clerk, SEARCH, q=counter.reference.lower())
    nowhere = listing(client, clerk, SEARCH, q="nong thi hoa")

    for typed, page in found.items():
        assert code(dossier) in page, typed
    assert counter.reference in by_reference
    assert code(dossier) not in by_reference
    assert code(dossier) not in nowhere


def test_htmx_gets_only_the_results(client, clerk, citizen, agency):
    received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    client.force_login(clerk)

    response = client.get(SEARCH, {"q": "Hoàng"}, headers={"HX-Request": "true"})

    assert "<html" not in response.content.decode()
    assert "1 hồ sơ" in response.content.decode()


def test_long_queues_are_paginated(client, clerk, agency):
    for _ in range(27):
        counter_dossier(clerk=clerk, commune=agency, attach=False)

    first = listing(client, clerk, TO_RECEIVE)
    second = listing(client, clerk, TO_RECEIVE, page=2)

    assert "27 hồ sơ" in first
    assert "Trang 1/2" in first
    assert "Trang 2/2" in second
    assert second.count('class="code"') == 2


def test_a_queue_longer_than_read_at_once_shows_its_head_and_asks_to_narrow_it(
    monkeypatch, client, clerk, agency
):
    from backoffice.views import queues

    for _ in range(27):
        counter_dossier(clerk=clerk, commune=agency, attach=False)
    listed = [listing(client, clerk, TO_RECEIVE, page=n) for n in (1, 2)]
    monkeypatch.setattr(queues, "IDS_AT_ONCE", 25)
    with CaptureQueriesContext(connection) as first_page:
        head = listing(client, clerk, TO_RECEIVE, page=1)
    beyond = listing(client, clerk, TO_RECEIVE, page=2)

    def codes(html: str) -> list[str]:
        return [line for line in html.splitlines() if 'class="code"' in line]

    assert "27 hồ sơ" in listed[0]
    assert "Hơn 25 hồ sơ" in head
    assert "hãy lọc" in head
    assert "27 hồ sơ" not in head
    assert codes(head) == codes(listed[0])  # the same first page, in the same order
    assert codes(beyond) == codes(head)  # no page past the head: the last one shown
    sqls = [query["sql"].upper() for query in first_page.captured_queries]
    assert not any("COUNT(" in sql for sql in sqls)  # a long queue is not counted on each page
    assert not any("LIMIT 25" in sql for sql in sqls)  # nor read a second time for the page


def test_a_queue_costs_the_same_queries_for_few_or_many_rows(client, clerk, specialist, citizen, agency):
    version = commune_procedure()
    dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency, version=version)
    client.force_login(specialist)
    client.get(TO_PROCESS)  # the working calendar is loaded once per process
    with CaptureQueriesContext(connection) as few:
        client.get(TO_PROCESS)
    for _ in range(6):
        dossier_at_step(
            2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency, version=version
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(TO_PROCESS).content.decode()

    assert "7 hồ sơ" in page
    assert len(many) == len(few)
    assert len(many) <= 15


def test_the_role_home_counts_each_queue(client, clerk, citizen, agency):
    submitted_now(applicant=citizen, commune=agency)
    submitted_now(applicant=citizen, commune=agency)
    received_dossier(applicant=citizen, clerk=clerk, commune=agency)

    home = listing(client, clerk, "/can-bo/")

    assert (
        f'href="{TO_RECEIVE}"><span>Hồ sơ chờ tiếp nhận</span><span class="n" aria-label="2 hồ sơ">2</span>'
        in home
    )
    overdue = '<span>Hồ sơ quá hạn</span><span class="n" aria-label="1 hồ sơ">1</span>'
    assert f'href="{OVERDUE}" class="urgent">{overdue}' in home
    assert 'href="/can-bo/ho-so/tiep-nhan/"' in home
    assert 'href="/can-bo/ho-so/so-theo-doi/"' in home


def test_an_unknown_queue_is_not_found(client, clerk):
    client.force_login(clerk)

    assert client.get("/can-bo/ho-so/hang-doi/khong-co/").status_code == 404


def test_rows_say_where_each_dossier_stands(clerk, specialist, citizen, agency):
    dossier = at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    from django.utils import timezone

    from backoffice.queues import dossiers_in_scope, with_open_steps

    (row,) = queue_rows(list(with_open_steps(dossiers_in_scope(specialist))), now=timezone.now())

    assert row.dossier == dossier
    assert row.step is not None
    assert row.step.name == "Thẩm định hồ sơ"
    assert row.countdown.state in {"ok", "soon"}


def test_a_row_says_in_words_what_the_dossier_is(specialist, clerk, citizen, agency):
    from django.urls import reverse
    from django.utils import timezone

    from backoffice.queues import dossiers_in_scope, with_open_steps

    at_step = at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    waiting = submitted_now(applicant=citizen, commune=agency)
    loaded = list(with_open_steps(dossiers_in_scope(clerk)).order_by("pk"))

    rows = {row.dossier.pk: row for row in queue_rows(loaded, now=timezone.now())}
    stepped, unreceived = rows[at_step.pk], rows[waiting.pk]

    assert stepped.key == code(at_step)
    assert stepped.url == reverse("backoffice:dossier_detail", kwargs={"code": code(at_step)})
    assert stepped.title == code(at_step)
    assert stepped.choose == f"Chọn hồ sơ {code(at_step)}"
    assert stepped.channel == at_step.get_channel_display()
    assert stepped.status == at_step.get_status_display()
    assert stepped.step is not None
    assert stepped.step.name == "Thẩm định hồ sơ"
    assert stepped.step.assignee is not None
    assert stepped.step.assignee.get_full_name() == specialist.get_full_name()
    page_steps = stepped.dossier.page_steps  # type: ignore[attr-defined]
    assert [s.finished_at for s in page_steps] == [None]  # the finished ones not read
    assert unreceived.key == waiting.reference
    assert unreceived.url == reverse("backoffice:dossier_detail", kwargs={"code": waiting.reference})
    assert unreceived.title == f"Chưa có mã ({waiting.reference})"
    assert unreceived.status == "Mới đăng ký"
    assert unreceived.step is None


def test_a_row_address_is_quoted_as_reverse_quotes_it():
    from django.urls import reverse
    from django.utils import timezone

    from dossiers.models import Channel, Dossier

    odd = Dossier(code="H 39.1-ư~:@+&%", reference="", status=Status.SUBMITTED, channel=Channel.ONLINE)

    (row,) = queue_rows([odd], now=timezone.now())

    assert row.url == reverse("backoffice:dossier_detail", kwargs={"code": odd.code})
    assert row.channel == "Trực tuyến"
    assert row.step is None


def test_the_page_shows_each_row_in_full(client, clerk, specialist, citizen, agency):
    dossier = at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)

    page = listing(client, specialist, TO_PROCESS)

    assert f'<a href="/can-bo/ho-so/{code(dossier)}/">{code(dossier)}</a>' in page
    assert f'aria-label="Chọn hồ sơ {code(dossier)}"' in page
    assert str(dossier.get_channel_display()) in page
    assert f'<span class="status status-processing">{dossier.get_status_display()}</span>' in page
    assert f'Thẩm định hồ sơ<div class="fine">{agency.name} — {specialist.get_full_name()}</div>' in page
    assert 'data-label="Người nộp">Hoàng Thị Lan' in page
    assert 'data-label="Hạn trả">' in page
    assert "làm việc</span>" in page


def test_the_page_rows_pass_the_rule_again(monkeypatch, client, clerk, clerk_other_agency, citizen, agency):
    """Ids a queue let through too widely are still checked against what the person may see."""
    import dataclasses

    from backoffice import queues
    from dossiers.models import Dossier

    ours = received_now(applicant=citizen, clerk=clerk, commune=agency)
    wide = dataclasses.replace(queues.QUEUES["can-xu-ly"], select=lambda user: Dossier.objects.order_by("pk"))
    monkeypatch.setitem(queues.QUEUES, "can-xu-ly", wide)

    page = listing(client, clerk_other_agency, TO_PROCESS)

    assert "1 hồ sơ" in page  # the (too wide) count
    assert code(ours) not in page


# --- Several dossiers at once -----------------------------------------------------------------


def test_several_dossiers_are_handed_over_each_on_its_own(
    client, clerk, colleague, specialist, citizen, agency
):
    first = received_now(applicant=citizen, clerk=clerk, commune=agency)
    second = received_now(applicant=citizen, clerk=clerk, commune=agency)
    stale = received_now(applicant=citizen, clerk=clerk, commune=agency)
    moved = at_step_now(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    seen = stale.lock_version
    client.force_login(colleague)
    client.post(f"/can-bo/ho-so/{stale.code}/thao-tac/chuyen-xu-ly/", {"lock_version": seen})
    client.force_login(clerk)

    response = client.post(
        BULK,
        {
            "dossiers": [
                f"{first.code}:{first.lock_version}",
                f"{second.code}:{second.lock_version}",
                f"{stale.code}:{seen}",
                f"{moved.code}:{moved.lock_version}",
                "000.00.99.H99-250101-0001:0",
            ],
            "outcome": "Chuyển thẩm định",
            "back": TO_PROCESS,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Đã chuyển 2/5 hồ sơ." in page
    assert "Hồ sơ vừa được người khác cập nhật, vui lòng tải lại." in page
    assert "Bạn không được giao việc «chuyển xử lý» đối với hồ sơ này." in page
    assert "Không tìm thấy hồ sơ hoặc bạn không được xem hồ sơ này." in page
    assert (fresh(first).status, fresh(second).status) == (Status.PROCESSING, Status.PROCESSING)
    assert f'href="{TO_PROCESS}"' in page


def test_handing_over_nothing_says_so(client, clerk):
    client.force_login(clerk)

    response = client.post(BULK, {"dossiers": []})

    assert response.status_code == 400
    assert "Hãy chọn ít nhất một hồ sơ để chuyển." in response.content.decode()


def test_the_to_process_queue_offers_the_hand_over(client, clerk, citizen, agency):
    dossier = received_now(applicant=citizen, clerk=clerk, commune=agency)

    page = listing(client, clerk, TO_PROCESS)

    assert f'value="{dossier.code}:{dossier.lock_version}"' in page
    assert "Chuyển xử lý các hồ sơ đã chọn" in page


def test_a_queue_of_another_desk_shows_nothing_of_ours(client, clerk, clerk_other_agency, citizen, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)
    received_dossier(applicant=citizen, clerk=clerk, commune=agency)

    page = listing(client, clerk_other_agency, SEARCH)

    assert dossier.reference not in page
    assert "Không tìm thấy hồ sơ nào." in page
