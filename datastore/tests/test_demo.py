"""The demo's data stores: identity cards and business registrations from the national portal,
and demo dossiers that reuse them (and earlier results), so the digitisation counters are not
all zero on a fresh demo."""

from __future__ import annotations

import datetime as dt

import pytest

from datastore.digitisation import digitisation_counters
from datastore.models import DocumentReuse, DocumentSource, StoredDocument
from dossiers import demo
from dossiers.models import ComponentOrigin, Dossier, DossierFile
from dossiers.tests.test_demo import FRIDAY

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("province", "one_of_each")
def test_the_demo_dossiers_reuse_what_their_applicants_hold():
    demo.load_demo_dossiers(now=FRIDAY, verbosity=0)

    national = StoredDocument.objects.filter(source=DocumentSource.DVCQG)
    assert national.filter(document_type__code="CCCD", owner__isnull=False).count() == 9  # the demo citizens
    assert national.filter(document_type__code="GCN_DANG_KY_DOANH_NGHIEP").count() == 4
    reused = DossierFile.objects.filter(origin=ComponentOrigin.REUSED)
    assert reused.exists()
    assert DocumentReuse.objects.count() == reused.count()
    assert DocumentReuse.objects.filter(document__source=DocumentSource.DVCQG).exists()
    counters = digitisation_counters(
        dossiers=Dossier.objects.all(), start=FRIDAY.date() - dt.timedelta(days=100), end=FRIDAY.date()
    ).total
    assert counters["coTaiSuDungTPHS"] > 0
    assert counters["coTaiSuDungTPHSTuDvcQg"] > 0
    assert counters["daGiaiQuyetDaSoHoa"] > 0
    # Results returned in the demo are in their applicants' stores.
    assert StoredDocument.objects.filter(source=DocumentSource.RESULT).exists()

    # Loaded once: a second run adds no document.
    count = StoredDocument.objects.count()
    demo.load_demo_dossiers(now=FRIDAY, verbosity=0)
    assert StoredDocument.objects.count() == count
