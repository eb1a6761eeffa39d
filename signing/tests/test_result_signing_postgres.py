"""Two clicks on "Ký số kết quả" arriving together, on PostgreSQL with real connections: the
result is signed once, the other request is told it is already signed."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection

from dossiers.models import DossierEvent, DossierFile
from dossiers.transitions import Action
from signing.errors import AlreadySigned
from signing.models import SignatureRecord
from signing.results import ResultSigned, dossier_result_sign
from signing.tests.dossier_world import resolved_with_pdf, result_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_posts_at_once_sign_the_result_once(
    citizen, clerk, specialist, leader, agency, leader_certificate, agency_certificate
):
    dossier = resolved_with_pdf(
        applicant=citizen, clerk=clerk, specialist=specialist, leader=leader, commune=agency
    )
    original = result_of(dossier)
    barrier = threading.Barrier(2)
    outcomes: list[Any] = [None, None]

    def click(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = dossier_result_sign(
                dossier_file=DossierFile.objects.get(pk=original.pk), actor=leader
            )
        except Exception as error:  # collected for the assertions
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    kinds = Counter(type(outcome) for outcome in outcomes)
    assert kinds == Counter({ResultSigned: 1, AlreadySigned: 1}), outcomes
    assert SignatureRecord.objects.count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.SIGN_RESULT).count() == 1
    assert DossierFile.objects.filter(dossier=dossier, kind="result").count() == 2
