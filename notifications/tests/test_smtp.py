"""E-mail through Django's SMTP backend to a real SMTP server on loopback: the citizen gets
the message, in Vietnamese; a server that is down delays it, never loses it."""

from __future__ import annotations

import pytest

from jobs.models import Job
from jobs.services import job_run
from jobs.worker import Worker
from notifications.models import OutgoingMessage
from notifications.services import MESSAGE_MAX_ATTEMPTS, message_resend, notify
from notifications.tests.conftest import use_smtp
from notifications.tests.smtp import SmtpSink, free_port, smtp_server

pytestmark = [
    pytest.mark.django_db,
    # Loopback test server: AUTH without TLS is deliberate here.
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning"),
]

SUBJECT = "Hồ sơ 000.00.31.H40-250424-0001 đã được tiếp nhận"
BODY = (
    "Kính gửi bà Hoàng Thị Lan,\n\n"
    "Hồ sơ đăng ký khai sinh của bà đã được Trung tâm Phục vụ hành chính công tiếp nhận.\n"
    "Ngày hẹn trả kết quả: 05/05/2025 10:00.\n"
)


def _send_all() -> int:
    return Worker(name="test", periodic=False).run(until_idle=True)


def test_the_message_really_arrives_with_its_vietnamese_text(smtp: SmtpSink):
    (queued,) = notify(
        email="lan.hoang@example.vn", subject=SUBJECT, body=BODY, reference="000.00.31.H40-250424-0001"
    )
    assert smtp.received == []  # nothing leaves before the worker runs

    _send_all()

    (received,) = smtp.received
    assert received.rcpt_tos == ["lan.hoang@example.vn"]
    assert received.mail_from == "khongtraloi@dichvucong.langson.gov.vn"
    message = received.message
    # Django folds a long encoded subject after "Subject:"; readers unfold it to one leading space.
    assert message["Subject"].strip() == SUBJECT
    assert message["To"] == "lan.hoang@example.vn"
    assert message["From"] == "Cổng dịch vụ công tỉnh Lạng Sơn <khongtraloi@dichvucong.langson.gov.vn>"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().replace("\r\n", "\n") == BODY
    assert message["X-Congso-Reference"] == "000.00.31.H40-250424-0001"
    assert message["Auto-Submitted"] == "auto-generated"
    sent = OutgoingMessage.objects.get(pk=queued.pk)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, "")
    assert sent.sent_at is not None
    assert sent.external_id == message["Message-ID"] == f"<congso.outbox.{sent.pk}@dichvucong.langson.gov.vn>"


def test_the_mail_server_login_is_used(settings):
    # smtplib sends credentials as ASCII: an SMTP password must be ASCII.
    with smtp_server(credentials=("congso", "Mat-khau-2025")) as sink:
        use_smtp(settings, sink, user="congso", password="Mat-khau-2025")
        notify(email="a@example.vn", subject="Thử", body="Nội dung thử")

        _send_all()

    (received,) = sink.received
    assert received.login == "congso"


def test_a_wrong_login_is_an_error_retried_later_not_a_lost_message(settings):
    with smtp_server(credentials=("congso", "dung")) as sink:
        use_smtp(settings, sink, user="congso", password="sai")
        (message,) = notify(email="a@example.vn", subject="Thử", body="Nội dung thử")

        _send_all()

    message.refresh_from_db()
    assert sink.received == []
    assert message.status == "queued"
    assert message.attempts == 1
    assert "SMTPAuthenticationError" in message.last_error


def test_while_the_mail_server_is_down_the_message_waits_and_goes_when_it_is_back(settings):
    down = SmtpSink(port=free_port())  # nothing listens there
    use_smtp(settings, down)
    (message,) = notify(email="lan.hoang@example.vn", subject=SUBJECT, body=BODY)
    job = Job.objects.get(func="notifications.tasks.message_send")

    _send_all()

    message.refresh_from_db()
    job.refresh_from_db()
    assert message.status == "queued"
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert job.status == "queued"
    assert job.attempts == 1
    assert message.last_attempt_at is not None
    first_wait = (job.run_after - message.last_attempt_at).total_seconds()
    assert 59 <= first_wait <= 61

    with smtp_server() as sink:
        use_smtp(settings, sink)
        assert job_run(job.pk, worker="test", now=job.run_after, due_only=True).status == "done"

    (received,) = sink.received
    assert received.message["Subject"].strip() == SUBJECT
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)


def test_a_message_still_refused_after_every_attempt_is_failed_and_can_be_sent_again(settings):
    use_smtp(settings, SmtpSink(port=free_port()))
    (message,) = notify(email="lan.hoang@example.vn", subject=SUBJECT, body=BODY)
    job = Job.objects.get(func="notifications.tasks.message_send")

    for _ in range(MESSAGE_MAX_ATTEMPTS):
        job.refresh_from_db()
        job_run(job.pk, worker="test", now=job.run_after, due_only=True)

    message.refresh_from_db()
    job.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", MESSAGE_MAX_ATTEMPTS)
    assert "ConnectionRefusedError" in message.last_error
    assert job.status == "done"  # the message, not the job, records the failure

    with smtp_server() as sink:
        use_smtp(settings, sink)
        assert message_resend(messages=[message]) == 1
        _send_all()

    assert len(sink.received) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)


def test_a_mailbox_refused_for_good_is_not_retried(smtp: SmtpSink):
    smtp.refused.add("khong-ton-tai@example.vn")
    (message,) = notify(email="khong-ton-tai@example.vn", subject="x", body="y")

    _send_all()

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    assert "550" in message.last_error
    assert Job.objects.get().status == "done"
