"""Civil servants are warned before a step or a dossier falls due (in working time), once per
threshold; leaders get the overdue list each working morning; the head of the desk hears of
consultations left unanswered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import MembershipFactory, StaffFactory
from congso import jobs
from dossiers.models import DossierStep
from dossiers.reminders import overdue_digest_send, reminders_send
from dossiers.services import dossier_consultation_request, dossier_forward, dossier_request_supplement
from dossiers.tests.factories import MONDAY_MORNING, VN, dossier_at_step, received_dossier
from jobs.services import periodic_tick
from jobs.worker import Worker
from notifications.models import OutgoingMessage
from workcalendar.clock import add_working_hours

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.JOBS_BACKEND = "embedded"
    settings.CELERY_BROKER_URL = None
    settings.CONGSO_REMINDER_WORKING_HOURS = (8,)
    settings.CONGSO_PUBLIC_URL = "https://dichvucong.langson.gov.vn"


@pytest.fixture
def dossier(citizen, clerk, specialist, agency):
    """At appraisal, assigned to the specialist; the commune's leader (``leader``) leads."""
    return dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)


def appraisal(dossier) -> DossierStep:
    step: DossierStep = dossier.steps.get(order=2)
    return step


def before(due: dt.datetime | None, hours: Decimal | int, agency) -> dt.datetime:
    """``hours`` working hours before ``due``."""
    assert due is not None
    return add_working_hours(due, -hours, agency=agency)


def mail_to(person, subject_part: str = "") -> list[OutgoingMessage]:
    return list(
        OutgoingMessage.objects.filter(
            channel="email", recipient=person.email, subject__contains=subject_part
        ).order_by("id")
    )


def test_the_handler_and_the_leader_are_warned_once_a_working_day_before_a_step_falls_due(
    dossier, specialist, leader, clerk, agency
):
    step = appraisal(dossier)
    subject = f"Sắp đến hạn: bước «{step.name}» của hồ sơ {dossier.code}"

    assert reminders_send(now=before(step.due_at, 9, agency)).steps == 0
    sent = reminders_send(now=before(step.due_at, 7, agency))

    assert sent.steps == 2
    (to_handler,) = mail_to(specialist, subject)
    (to_leader,) = mail_to(leader, subject)
    assert mail_to(clerk) == []
    assert to_handler.body.startswith("Kính gửi Đinh Thị Mai,\n\n")
    assert f"hạn lúc {timezone.localtime(step.due_at):%d/%m/%Y %H:%M}, còn 7 giờ làm việc." in to_handler.body
    assert "Người xử lý: Đinh Thị Mai\n" in to_handler.body
    assert f"Người nộp: {dossier.applicant_name}\n" in to_handler.body
    assert "https://dichvucong.langson.gov.vn/can-bo/" in to_handler.body
    assert to_leader.body.startswith("Kính gửi Hà Văn Quang,")

    assert reminders_send(now=before(step.due_at, 6, agency)).steps == 0  # remembered


def test_each_threshold_warns_once_and_a_late_start_gets_only_the_tightest(
    dossier, specialist, clerk, agency, settings
):
    settings.CONGSO_REMINDER_WORKING_HOURS = (8, 2)
    step = appraisal(dossier)

    reminders_send(now=before(step.due_at, 7, agency))
    reminders_send(now=before(step.due_at, Decimal("1.5"), agency))
    reminders_send(now=before(step.due_at, 1, agency))

    bodies = [m.body for m in mail_to(specialist, "Sắp đến hạn: bước")]
    assert len(bodies) == 2
    assert "còn 7 giờ làm việc" in bodies[0]
    assert "còn 1 giờ 30 phút làm việc" in bodies[1]

    other = dossier_at_step(
        2, applicant=dossier.applicant, clerk=clerk, specialist=specialist, commune=agency
    )
    other_step = appraisal(other)
    reminders_send(now=before(other_step.due_at, 1, agency))
    assert len(mail_to(specialist, f"hồ sơ {other.code}")) == 1


def test_time_left_is_counted_in_working_hours_over_the_weekend(dossier, specialist, leader, agency):
    monday_10 = dt.datetime(2025, 9, 15, 10, 0, tzinfo=VN)
    DossierStep.objects.filter(pk=appraisal(dossier).pk).update(due_at=monday_10)

    # Thursday 16:00 → Monday 10:00 is 11.5 working hours away: not yet.
    assert reminders_send(now=dt.datetime(2025, 9, 11, 16, 0, tzinfo=VN)).steps == 0
    # Friday 16:00: one hour on Friday and two and a half on Monday morning.
    assert reminders_send(now=dt.datetime(2025, 9, 12, 16, 0, tzinfo=VN)).steps == 2
    (mail,) = mail_to(specialist, "Sắp đến hạn: bước")
    assert "hạn lúc 15/09/2025 10:00, còn 3 giờ 30 phút làm việc." in mail.body


def test_an_unassigned_step_warns_everyone_holding_its_role_at_the_agency(
    citizen, clerk, specialist, leader, agency
):
    colleague = StaffFactory(username="chuyenvien2", full_name="Lộc Văn Hải")
    MembershipFactory(user=colleague, agency=agency, role="specialist")
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    dossier_forward(dossier=dossier, actor=clerk, now=MONDAY_MORNING + dt.timedelta(minutes=30))
    step = appraisal(dossier)
    assert step.assignee is None

    reminders_send(now=before(step.due_at, 2, agency))

    for person in (specialist, colleague, leader):
        (mail,) = mail_to(person, "Sắp đến hạn: bước")
        assert "Người xử lý: Đinh Thị Mai, Lộc Văn Hải\n" in mail.body


def test_the_dossier_falling_due_warns_its_current_handler_and_the_leader(
    dossier, specialist, leader, agency
):
    sent = reminders_send(now=before(dossier.due_at, 4, agency))

    assert sent.dossiers == 2
    subject = f"Sắp đến hạn trả kết quả hồ sơ {dossier.code}"
    (mail,) = mail_to(specialist, subject)
    assert len(mail_to(leader, subject)) == 1
    assert "hạn lúc 15/09/2025 09:00, còn 4 giờ làm việc." in mail.body
    assert "xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)" in mail.body
    assert f"Đang ở bước: {appraisal(dossier).name}" in mail.body


def test_a_paused_dossier_is_not_reminded(dossier, specialist, agency):
    dossier_request_supplement(
        dossier=dossier,
        actor=specialist,
        items=[{"note": "Bổ sung bản sao giấy tờ đất đai"}],
        reason="Thiếu căn cứ",
        now=MONDAY_MORNING + dt.timedelta(hours=2),
    )

    sent = reminders_send(now=before(dossier.due_at, 1, agency))

    assert (sent.steps, sent.dossiers) == (0, 0)


def test_a_person_without_an_email_address_is_skipped(dossier, specialist, leader, agency):
    type(specialist).objects.filter(pk=specialist.pk).update(email="")

    reminders_send(now=before(appraisal(dossier).due_at, 1, agency))

    assert list(OutgoingMessage.objects.values_list("recipient", flat=True).distinct()) == [leader.email]


def test_staff_reminders_go_by_sms_too_when_switched_on(dossier, specialist, agency, settings):
    settings.CONGSO_REMINDER_SMS = True
    type(specialist).objects.filter(pk=specialist.pk).update(phone="0987654321")

    reminders_send(now=before(appraisal(dossier).due_at, 1, agency))

    (sms,) = OutgoingMessage.objects.filter(channel="sms", recipient="0987654321")
    assert sms.body == f"Sắp đến hạn: bước «{appraisal(dossier).name}» của hồ sơ {dossier.code}"


def test_leaders_get_the_overdue_list_each_working_morning(dossier, leader, specialist, agency):
    tuesday = dt.datetime(2025, 9, 16, 9, 0, tzinfo=VN)  # due Monday 15/09 09:00

    assert overdue_digest_send(now=tuesday) == 1

    (mail,) = mail_to(leader)
    assert mail.subject == f"Hồ sơ quá hạn của {agency.name} ngày 16/09/2025"
    assert "Hồ sơ quá hạn trả kết quả (1):\n" in mail.body
    name = dossier.procedure_version.name
    assert f"1. {dossier.code} — {name} — hạn 15/09/2025 09:00, quá hạn 1 ngày làm việc\n" in mail.body
    assert "Bước xử lý quá hạn (1):\n" in mail.body
    assert f"«{appraisal(dossier).name}» — Đinh Thị Mai" in mail.body
    assert mail_to(specialist) == []
    assert overdue_digest_send(now=tuesday + dt.timedelta(hours=2)) == 0  # once a day


def test_no_overdue_list_on_a_day_off(dossier):
    sunday = dt.datetime(2025, 9, 21, 7, 30, tzinfo=VN)

    assert overdue_digest_send(now=sunday) == 0


def test_an_unanswered_consultation_warns_the_head_of_the_desk_and_who_asked(
    dossier, specialist, leader, other_agency
):
    deadline = dt.datetime(2025, 9, 10, 17, 0, tzinfo=VN)
    dossier_consultation_request(
        dossier=dossier,
        actor=specialist,
        consulted_agency=other_agency,
        question="Đề nghị cho ý kiến về nguồn gốc thửa đất",
        deadline=deadline,
        now=MONDAY_MORNING + dt.timedelta(hours=1),
    )

    assert reminders_send(now=deadline - dt.timedelta(hours=1)).consultations == 0
    assert reminders_send(now=deadline + dt.timedelta(hours=1)).consultations == 2

    (mail,) = mail_to(leader, "Quá hạn trả lời ý kiến")
    assert mail.subject == f"Quá hạn trả lời ý kiến về hồ sơ {dossier.code}"
    assert f"{other_agency.name} chưa trả lời ý kiến về hồ sơ {dossier.code}" in mail.body
    assert "hết lúc 10/09/2025 17:00" in mail.body
    assert "Nội dung lấy ý kiến: Đề nghị cho ý kiến về nguồn gốc thửa đất" in mail.body
    assert len(mail_to(specialist, "Quá hạn trả lời ý kiến")) == 1
    assert reminders_send(now=deadline + dt.timedelta(hours=2)).consultations == 0


def test_reminders_and_the_overdue_list_are_periodic_jobs():
    schedule = {spec.path: spec for spec in jobs.periodic_jobs()}

    assert schedule["dossiers.tasks.reminders_send"].every == dt.timedelta(minutes=15)
    assert schedule["dossiers.tasks.overdue_digest_send"].daily_at == dt.time(7, 30)


def test_the_worker_runs_the_reminders_on_schedule(dossier, specialist, agency, monkeypatch):
    at = before(appraisal(dossier).due_at, 1, agency)
    monkeypatch.setattr(timezone, "now", lambda: at)

    fired = periodic_tick(now=at)
    Worker(name="test").run(until_idle=True)

    assert "dossiers.tasks.reminders_send" in {j.func for j in jobs_by_id(fired)}
    assert len(mail_to(specialist, "Sắp đến hạn: bước")) == 1


def jobs_by_id(ids):
    from jobs.models import Job

    return Job.objects.filter(pk__in=ids)
