"""The operator's view of the outbox: read-only, failures with their error, "send again"."""

from __future__ import annotations

import pytest

from jobs.models import Job
from notifications.models import OutgoingMessage
from notifications.services import notify

pytestmark = pytest.mark.django_db

URL = "/quan-tri/notifications/outgoingmessage/"


@pytest.fixture
def failed(db):
    (message,) = notify(
        email="lan.hoang@example.vn", subject="Hồ sơ đã có kết quả", body="y", reference="H40-1"
    )
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status="failed", attempts=8, last_error="ConnectionRefusedError: [Errno 111] Connection refused"
    )
    Job.objects.all().delete()
    message.refresh_from_db()
    return message


def test_the_operator_sees_a_failed_message_with_its_error(client, admin, failed):
    client.force_login(admin)

    page = client.get(URL, {"status__exact": "failed"})

    assert page.status_code == 200
    html = page.content.decode()
    assert "lan.hoang@example.vn" in html
    assert "Connection refused" in html
    assert client.get(f"{URL}{failed.pk}/change/").status_code == 200


def test_the_outbox_cannot_be_edited_by_hand(client, admin, failed):
    client.force_login(admin)

    assert client.get(f"{URL}add/").status_code == 403
    assert client.post(f"{URL}{failed.pk}/change/", {"recipient": "x@example.vn"}).status_code == 403
    assert client.post(f"{URL}{failed.pk}/delete/", {"post": "yes"}).status_code == 403
    failed.refresh_from_db()
    assert failed.recipient == "lan.hoang@example.vn"


def test_send_again_queues_the_failed_message_with_fresh_attempts(client, admin, failed):
    (sent,) = notify(email="b@example.vn", subject="x", body="y")
    OutgoingMessage.objects.filter(pk=sent.pk).update(status="sent")
    client.force_login(admin)

    response = client.post(URL, {"action": "resend", "_selected_action": [failed.pk, sent.pk]}, follow=True)

    html = response.content.decode()
    assert "Đã xếp 1 thư, tin nhắn để gửi lại." in html
    assert "1 thư, tin nhắn không được gửi lại" in html
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("queued", 0)
    assert Job.objects.filter(func="notifications.tasks.message_send", kwargs__message_id=failed.pk).exists()


def test_citizens_and_clerks_do_not_see_the_outbox(client, citizen, clerk):
    for person in (citizen, clerk):
        client.force_login(person)
        assert client.get(URL).status_code == 302  # sent to the admin login
