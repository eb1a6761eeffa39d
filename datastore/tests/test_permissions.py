"""Who sees a stored document: its owner; the administration only through a dossier it may see
(the one the document came from, or one it was reused in); nobody else."""

from __future__ import annotations

import pytest
from django.http import Http404

from datastore.models import StoredDocument
from datastore.permissions import access_stored_document_by_id
from datastore.services import stored_document_reuse
from datastore.tests.conftest import returned
from datastore.tests.factories import stored_document
from dossiers.tests.factories import online_draft

pytestmark = pytest.mark.django_db


def visible(user) -> set[int]:
    return set(StoredDocument.objects.restrict(user, "view").values_list("pk", flat=True))


def test_the_owner_by_account_or_number_and_nobody_else(citizen, other_citizen, clerk, admin, api_client):
    by_account = stored_document(owner=citizen)
    by_number = stored_document(national_id=citizen.national_id)  # e.g. from DVCQG before the account

    assert visible(citizen) == {by_account.pk, by_number.pk}
    assert access_stored_document_by_id(citizen, by_number.pk) == by_number
    for stranger in (other_citizen, clerk, admin, api_client.user):
        assert visible(stranger) == set()
    with pytest.raises(Http404):
        access_stored_document_by_id(other_citizen, by_account.pk)


def test_the_administration_sees_a_document_through_the_dossiers_it_may_see(
    citizen, clerk, clerk_other_agency, specialist, leader, admin, agency, marriage, birth
):
    dossier = returned(
        applicant=citizen, clerk=clerk, specialist=specialist, leader=leader, commune=agency, version=marriage
    )
    result = StoredDocument.objects.get(source_dossier=dossier)
    private = stored_document(owner=citizen, kind=result.document_type)

    for staff in (clerk, specialist, leader, admin):
        assert visible(staff) == {result.pk}
    assert visible(clerk_other_agency) == set()

    draft = online_draft(applicant=citizen, commune=agency, version=birth, attach=False)
    stored_document_reuse(
        document=private, dossier=draft, requirement=birth.components.get(order=2), actor=citizen
    )
    assert visible(clerk) == {result.pk}  # an online draft is the applicant's business until submitted
    assert visible(admin) == {result.pk, private.pk}
