"""A liên thông task's result may carry documents: the participating agency attaches its answer
(a tax notice, an opinion letter) as working files of the dossier while it holds the running task,
and those files go on the history row of its result. A file that is not a working file in force of
this dossier is refused, and a refused result records nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from dossiers.errors import DossierInvalid, TransitionNotAllowed
from dossiers.models import DossierEvent, DossierFile, DossierStep
from dossiers.services import dossier_file_attach, dossier_inter_agency_finish, dossier_inter_agency_start
from dossiers.services.inter_agency import dossier_inter_agency_assign
from dossiers.tests.factories import MONDAY_MORNING, dossier_at_step, pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]

SENT = MONDAY_MORNING + dt.timedelta(hours=2)
ANSWERED = SENT + dt.timedelta(hours=1)


@pytest.fixture
def dossier(citizen, clerk, specialist, agency):
    """Being appraised by ``specialist`` at the commune (the lead agency)."""
    return dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)


def send_tax_task(dossier, specialist, tax_office) -> DossierStep:
    return dossier_inter_agency_start(
        dossier=dossier,
        actor=specialist,
        agency=tax_office,
        task="Xác định nghĩa vụ thuế",
        budget_hours=8,
        now=SENT,
    )


def attach(dossier, user, name="thong-bao-thue.pdf", kind=DossierFile.Kind.WORKING) -> DossierFile:
    return dossier_file_attach(dossier=dossier, actor=user, upload=pdf_upload(name), kind=kind)


def test_a_task_holder_attaches_working_files_only_while_the_task_runs(
    dossier, specialist, tax_office, tax_officer
):
    with pytest.raises(TransitionNotAllowed):
        attach(dossier, tax_officer)  # no task sent yet: no part in the dossier
    task = send_tax_task(dossier, specialist, tax_office)

    record = attach(dossier, tax_officer)

    assert (record.kind, record.uploaded_by, record.dossier) == (
        DossierFile.Kind.WORKING,
        tax_officer,
        dossier,
    )
    with pytest.raises(TransitionNotAllowed):
        attach(dossier, tax_officer, kind=DossierFile.Kind.RESULT)  # the lead agency's result is its own
    dossier_inter_agency_finish(dossier=dossier, actor=tax_officer, step=task, outcome="Xong", now=ANSWERED)
    with pytest.raises(TransitionNotAllowed):
        attach(dossier, tax_officer, "muon.pdf")  # handed back: nothing more to attach
    assert list(DossierFile.objects.filter(dossier=dossier, kind=DossierFile.Kind.WORKING)) == [record]


def test_the_result_carries_its_files_on_the_history_row(dossier, specialist, tax_office, tax_officer):
    task = send_tax_task(dossier, specialist, tax_office)
    notice = attach(dossier, tax_officer, "thong-bao-215.pdf")
    letter = attach(dossier, tax_officer, "cong-van.pdf")

    dossier_inter_agency_finish(
        dossier=dossier,
        actor=tax_officer,
        step=task,
        outcome="Tiền sử dụng đất phải nộp: 12.500.000 đ (Thông báo số 215/TB-CCT).",
        files=[notice, letter, notice],
        now=ANSWERED,
    )

    event = DossierEvent.objects.get(dossier=dossier, action="finish_inter_agency")
    assert sorted(f.pk for f in event.files.all()) == sorted([notice.pk, letter.pk])
    assert event.data["files"] == [notice.pk, letter.pk]
    assert event.data["step_id"] == task.pk
    task.refresh_from_db()
    assert task.finished_at == ANSWERED


def test_a_result_without_files_records_an_empty_list(dossier, specialist, tax_office, tax_officer):
    task = send_tax_task(dossier, specialist, tax_office)

    dossier_inter_agency_finish(dossier=dossier, actor=tax_officer, step=task, outcome="Không phát sinh")

    event = DossierEvent.objects.get(dossier=dossier, action="finish_inter_agency")
    assert event.data["files"] == []
    assert not event.files.exists()


def test_a_file_that_is_no_working_file_in_force_of_this_dossier_is_refused(
    dossier, citizen, clerk, specialist, agency, tax_office, tax_officer
):
    task = send_tax_task(dossier, specialist, tax_office)
    other = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    foreign = attach(other, specialist, "ho-so-khac.pdf")
    component = dossier.files.get(kind=DossierFile.Kind.COMPONENT, requirement__order=1)
    old = attach(dossier, tax_officer, "ban-cu.pdf")
    new = dossier_file_attach(
        dossier=dossier, actor=tax_officer, upload=pdf_upload("ban-moi.pdf"), kind="working", replaces=old
    )

    refused = []
    for wrong in [foreign, component, old]:
        with pytest.raises(DossierInvalid) as error:
            dossier_inter_agency_finish(
                dossier=dossier,
                actor=tax_officer,
                step=task,
                outcome="Xong",
                files=[new, wrong],
                now=ANSWERED,
            )
        refused.append(error.value)

    assert [error.message for error in refused] == [
        "Tệp «ho-so-khac.pdf» không phải tài liệu xử lý hiện hành của hồ sơ này.",
        f"Tệp «{component.name}» không phải tài liệu xử lý hiện hành của hồ sơ này.",
        "Tệp «ban-cu.pdf» không phải tài liệu xử lý hiện hành của hồ sơ này.",
    ]
    assert refused[0].field_errors == {"files": [refused[0].message]}
    task.refresh_from_db()
    assert task.finished_at is None
    assert not DossierEvent.objects.filter(dossier=dossier, action="finish_inter_agency").exists()


def test_someone_who_does_not_hold_the_task_records_nothing(
    dossier, specialist, tax_office, tax_head, tax_officer, tax_officer_two
):
    task = send_tax_task(dossier, specialist, tax_office)
    colleague, head = tax_officer_two, tax_head
    dossier_inter_agency_assign(dossier=dossier, actor=head, step=task, assignee=tax_officer, now=SENT)
    notice = attach(dossier, tax_officer)

    with pytest.raises(TransitionNotAllowed):
        attach(dossier, colleague)
    with pytest.raises(TransitionNotAllowed):
        dossier_inter_agency_finish(
            dossier=dossier, actor=colleague, step=task, outcome="Xong", files=[notice], now=ANSWERED
        )

    task.refresh_from_db()
    assert task.finished_at is None
    assert not DossierEvent.objects.filter(dossier=dossier, action="finish_inter_agency").exists()
    assert list(DossierFile.objects.filter(dossier=dossier, kind=DossierFile.Kind.WORKING)) == [notice]
