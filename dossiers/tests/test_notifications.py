"""The applicant hears about every step that concerns them, by e-mail and SMS, in Vietnamese:
reception with the due date, supplement requests with every item and the reason, refusal,
apology with the new date, result ready (early results announced), result returned."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from dossiers import events
from dossiers.models import DossierEvent
from dossiers.notifications import applicant_notify, on_dossier_changed
from dossiers.services import (
    SupplementItem,
    dossier_apologise,
    dossier_forward,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_resolve,
    dossier_return_result,
)
from dossiers.tests.factories import (
    MONDAY_MORNING,
    VN,
    counter_dossier,
    dossier_at_step,
    pdf_upload,
    received_dossier,
    submitted_dossier,
)
from jobs.models import Job
from notifications.models import OutgoingMessage
from notifications.tests.conftest import use_smtp
from notifications.tests.smtp import SmtpSink, free_port, smtp_server

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]

H = dt.timedelta(hours=1)
SITE = "https://dichvucong.langson.gov.vn"


@pytest.fixture(autouse=True)
def _inline(settings):
    """Jobs run when each change commits; mail goes to Django's test outbox."""
    settings.JOBS_BACKEND = "inline"
    settings.CELERY_BROKER_URL = None
    settings.CONGSO_PUBLIC_URL = SITE
    settings.CONGSO_SITE_NAME = "Cổng dịch vụ công tỉnh Lạng Sơn"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if its transactions committed (listeners, then the jobs they queue)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def only_mail(mailoutbox):
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    return mailoutbox[0]


def sms_to(phone: str) -> list[OutgoingMessage]:
    return list(OutgoingMessage.objects.filter(channel="sms", recipient=phone).order_by("id"))


def test_the_listener_is_subscribed_to_dossier_events():
    assert on_dossier_changed in events.handlers()


def test_reception_tells_the_code_procedure_due_date_and_lookup_link(
    citizen, clerk, agency, committed, mailoutbox
):
    citizen.phone = "0912345678"
    citizen.save()
    dossier = submitted_dossier(applicant=citizen, commune=agency)

    with committed():
        dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING + H)

    mail = only_mail(mailoutbox)
    assert mail.to == [citizen.email]
    assert mail.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert mail.body.startswith("Kính gửi Ông/Bà Hoàng Thị Lan,\n\n")
    assert f"Mã số hồ sơ: {dossier.code}\n" in mail.body
    assert f"Thủ tục: {dossier.procedure_version.name}\n" in mail.body
    assert "Tiếp nhận lúc: 08/09/2025 10:00\n" in mail.body
    assert "Ngày hẹn trả kết quả: 15/09/2025 10:00\n" in mail.body
    assert f"Tra cứu tình trạng hồ sơ: {SITE}/tra-cuu/{dossier.code}/" in mail.body
    (sms,) = sms_to("0912345678")
    assert sms.status == "sent"
    assert sms.body == (
        f"Hồ sơ {dossier.code} đã được tiếp nhận, hẹn trả kết quả 15/09/2025 10:00. "
        f"Tra cứu: {SITE}/tra-cuu/{dossier.code}/"
    )


def test_a_supplement_request_lists_every_item_and_the_reason_in_one_notice(
    citizen, clerk, agency, committed, mailoutbox
):
    dossier = submitted_dossier(applicant=citizen, commune=agency)
    second = dossier.procedure_version.components.order_by("order")[1]

    with committed():
        dossier_request_supplement(
            dossier=dossier,
            actor=clerk,
            items=[
                SupplementItem(requirement_id=second.pk, note="bản chụp mờ"),
                {"note": 'Tờ khai "Mẫu TK1" ghi thiếu nơi cư trú & số điện thoại'},
            ],
            reason="Hồ sơ chưa đầy đủ, chưa hợp lệ",
            now=MONDAY_MORNING,
        )

    mail = only_mail(mailoutbox)
    assert mail.subject == f"Hồ sơ {dossier.reference} cần bổ sung, hoàn thiện"
    assert "Lý do: Hồ sơ chưa đầy đủ, chưa hợp lệ\n" in mail.body
    assert (
        "Các giấy tờ, nội dung cần bổ sung, hoàn thiện:\n"
        f"1. {second.name} — bản chụp mờ\n"
        '2. Tờ khai "Mẫu TK1" ghi thiếu nơi cư trú & số điện thoại\n'  # plain text, not HTML-escaped
    ) in mail.body
    assert "bổ sung đủ một lần" in mail.body
    # Not received yet: no code to look up, the submission reference instead.
    assert f"Mã tham chiếu hồ sơ: {dossier.reference}\n" in mail.body
    assert "Tra cứu" not in mail.body


def test_a_supplement_after_appraisal_says_the_time_limit_restarts(
    citizen, clerk, specialist, agency, committed, mailoutbox
):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)

    with committed():
        dossier_request_supplement(
            dossier=dossier,
            actor=specialist,
            items=[{"note": "Bổ sung bản sao giấy chứng nhận quyền sử dụng đất"}],
            reason="Thiếu căn cứ xác định quyền sử dụng đất",
            now=MONDAY_MORNING + 2 * H,
        )

    mail = only_mail(mailoutbox)
    assert "1. Bổ sung bản sao giấy chứng nhận quyền sử dụng đất\n" in mail.body
    assert "thời hạn được tính lại từ đầu" in mail.body


def test_refusal_at_reception_gives_the_reason(citizen, clerk, agency, committed, mailoutbox):
    dossier = submitted_dossier(applicant=citizen, commune=agency)

    with committed():
        dossier_refuse(
            dossier=dossier, actor=clerk, reason="Không thuộc thẩm quyền giải quyết", now=MONDAY_MORNING
        )

    mail = only_mail(mailoutbox)
    assert mail.subject == f"Hồ sơ {dossier.reference} không được tiếp nhận"
    assert "không tiếp nhận hồ sơ của Ông/Bà" in mail.body
    assert "Lý do: Không thuộc thẩm quyền giải quyết" in mail.body


def test_refusal_after_appraisal_gives_the_reason(citizen, clerk, specialist, agency, committed, mailoutbox):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)

    with committed():
        dossier_refuse(dossier=dossier, actor=specialist, reason="Không đủ điều kiện theo quy định")

    mail = only_mail(mailoutbox)
    assert mail.subject == f"Hồ sơ {dossier.code} bị từ chối giải quyết"
    assert f"{agency.name} từ chối giải quyết hồ sơ của Ông/Bà." in mail.body
    assert "Lý do: Không đủ điều kiện theo quy định" in mail.body


def test_an_apology_gives_the_reason_and_the_new_date(
    citizen, clerk, specialist, leader, agency, committed, mailoutbox
):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    new_due = dt.datetime(2025, 9, 18, 9, 0, tzinfo=VN)

    with committed():
        dossier_apologise(
            dossier=dossier,
            actor=leader,
            reason="Cần xác minh thực địa",
            new_due_at=new_due,
            now=dt.datetime(2025, 9, 11, 10, 0, tzinfo=VN),
        )

    mail = only_mail(mailoutbox)
    assert mail.subject == f"Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {dossier.code}"
    assert (
        "thành thật xin lỗi Ông/Bà: hồ sơ chưa thể giải quyết xong đúng ngày hẹn 15/09/2025 09:00"
        in mail.body
    )
    assert "Lý do: Cần xác minh thực địa\n" in mail.body
    assert "Ngày hẹn trả kết quả mới: 18/09/2025 09:00" in mail.body


def test_an_early_result_is_announced_before_collection_and_the_return_is_confirmed(
    citizen, clerk, specialist, leader, agency, committed, mailoutbox
):
    dossier = dossier_at_step(3, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)

    with committed():
        dossier_resolve(
            dossier=dossier,
            actor=leader,
            summary="Cấp giấy xác nhận",
            uploads=[pdf_upload()],
            now=MONDAY_MORNING + 2 * H,
        )

    mail = only_mail(mailoutbox)
    assert mail.subject == f"Hồ sơ {dossier.code} đã có kết quả sớm hơn ngày hẹn"
    assert "đã có kết quả giải quyết sớm hơn ngày hẹn 15/09/2025 09:00" in mail.body
    assert "nhận kết quả ngay từ bây giờ" in mail.body
    assert f"Nơi nhận kết quả: {agency.name}" in mail.body

    mailoutbox.clear()
    with committed():
        dossier_return_result(dossier=dossier, actor=clerk, now=MONDAY_MORNING + 3 * H)

    mail = only_mail(mailoutbox)
    assert mail.subject == f"Hồ sơ {dossier.code} đã được trả kết quả"
    assert "đã được trả lúc 08/09/2025 12:00" in mail.body


def test_internal_hand_overs_do_not_write_to_the_applicant(
    citizen, clerk, specialist, agency, committed, mailoutbox
):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    notices = Job.objects.filter(func="dossiers.tasks.applicant_notify")
    queued = set(notices.values_list("pk", flat=True))  # the reception's, queued with it

    with committed():
        dossier_forward(dossier=dossier, actor=clerk, to_user=specialist, now=MONDAY_MORNING + H)

    assert mailoutbox == []
    assert len(queued) == 1
    assert set(notices.values_list("pk", flat=True)) == queued


def test_a_counter_applicant_with_only_a_phone_gets_an_sms(clerk, agency, committed, caplog):
    dossier = counter_dossier(clerk=clerk, commune=agency)

    with committed(), caplog.at_level(logging.INFO, logger="notifications.sms"):
        dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING)

    (sms,) = OutgoingMessage.objects.all()
    assert (sms.channel, sms.recipient, sms.status) == ("sms", "0912345678", "sent")
    assert f"Hồ sơ {dossier.code} đã được tiếp nhận" in caplog.text


def test_each_event_is_told_once_even_if_its_job_runs_twice(citizen, clerk, agency, committed, mailoutbox):
    dossier = submitted_dossier(applicant=citizen, commune=agency)
    with committed():
        dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING)
    event = DossierEvent.objects.get(dossier=dossier, action="receive")

    assert applicant_notify(event=event) == []
    assert OutgoingMessage.objects.filter(reference=dossier.code).count() == 1


def test_the_clerk_is_not_held_up_when_the_mail_server_is_down_and_the_mail_goes_later(
    citizen, clerk, agency, committed, settings
):
    use_smtp(settings, SmtpSink(port=free_port()))
    dossier = submitted_dossier(applicant=citizen, commune=agency)

    with committed():
        received = dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING)

    assert received.status == "received"
    (message,) = OutgoingMessage.objects.all()
    assert (message.status, message.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in message.last_error
    send = Job.objects.get(func="notifications.tasks.message_send")
    assert send.status == "queued"

    from jobs.services import job_run

    with smtp_server() as sink:
        use_smtp(settings, sink)
        job_run(send.pk, worker="test", now=send.run_after, due_only=True)

    (arrived,) = sink.received
    assert arrived.rcpt_tos == [citizen.email]
    assert arrived.message["Subject"].strip() == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert "Ngày hẹn trả kết quả: 15/09/2025 09:00" in arrived.message.get_content()
