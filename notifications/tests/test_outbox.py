"""notify(): rows first, sending after commit, once per notice, bad addresses kept visible."""

from __future__ import annotations

import pytest
from django.db import transaction

from jobs.models import Job
from notifications.models import OutgoingMessage
from notifications.services import notify

pytestmark = pytest.mark.django_db


def test_a_notice_queues_one_message_per_channel_and_a_job_to_send_each():
    messages = notify(
        email="lan.hoang@example.vn",
        phone="0912 345 678",
        subject="Hồ sơ đã được tiếp nhận",
        body="Hồ sơ của bà đã được tiếp nhận.",
        sms_body="Ho so da duoc tiep nhan",
        reference="000.00.31.H40-250424-0001",
    )

    email, sms = sorted(messages, key=lambda m: m.channel)
    assert (email.channel, email.recipient, email.body) == (
        "email",
        "lan.hoang@example.vn",
        "Hồ sơ của bà đã được tiếp nhận.",
    )
    assert (sms.channel, sms.recipient, sms.body) == ("sms", "0912345678", "Ho so da duoc tiep nhan")
    assert {m.status for m in messages} == {"queued"}
    assert {m.reference for m in messages} == {"000.00.31.H40-250424-0001"}
    jobs = Job.objects.filter(func="notifications.tasks.message_send")
    assert sorted(j.kwargs["message_id"] for j in jobs) == sorted(m.pk for m in messages)


def test_a_notice_from_a_rolled_back_change_is_never_sent():
    def change_that_fails() -> None:
        with transaction.atomic():
            notify(email="a@example.vn", subject="x", body="y")
            raise RuntimeError("the dossier change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()

    assert not OutgoingMessage.objects.exists()
    assert not Job.objects.exists()


def test_nobody_to_tell_queues_nothing():
    assert notify(email="", phone=None, subject="x", body="y") == []
    assert not OutgoingMessage.objects.exists()


def test_the_same_notice_reaches_each_recipient_once():
    first = notify(email="a@example.vn", subject="Nhắc hạn", body="Sắp đến hạn", dedupe_key="step:1:480")
    again = notify(email="a@example.vn", subject="Nhắc hạn", body="Sắp đến hạn", dedupe_key="step:1:480")
    other = notify(email="b@example.vn", subject="Nhắc hạn", body="Sắp đến hạn", dedupe_key="step:1:480")

    assert len(first) == 1
    assert again == []
    assert len(other) == 1
    assert OutgoingMessage.objects.count() == 2
    assert Job.objects.count() == 2


def test_an_invalid_address_is_kept_as_a_failed_message_and_the_valid_one_still_goes():
    messages = notify(email="không-phải-thư", phone="0912345678", subject="x", body="Nội dung")

    bad = next(m for m in messages if m.channel == "email")
    good = next(m for m in messages if m.channel == "sms")
    assert bad.status == "failed"
    assert bad.last_error == "Địa chỉ thư điện tử không hợp lệ: không-phải-thư"
    assert good.status == "queued"
    assert [j.kwargs["message_id"] for j in Job.objects.all()] == [good.pk]


def test_a_subject_is_kept_on_one_line():
    (message,) = notify(email="a@example.vn", subject="Hồ sơ\r\nBcc: ke-xau@example.com", body="y")

    assert message.subject == "Hồ sơ Bcc: ke-xau@example.com"


def test_a_notice_needs_a_body():
    with pytest.raises(ValueError, match="body"):
        notify(email="a@example.vn", subject="x", body="  ")
