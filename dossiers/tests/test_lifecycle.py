"""A dossier's life from submission to rating, as the applicant and the civil servants live it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, StaffFactory
from agencies.tests.factories import AgencyFactory
from catalog.models import WorkflowStep
from catalog.tests.factories import ComponentRequirementFactory, ProcedureVersionFactory
from dossiers.errors import DossierInvalid, TransitionNotAllowed
from dossiers.models import (
    Channel,
    ComponentOrigin,
    DossierEvent,
    DossierFile,
    DossierStep,
    Rating,
    Slip,
    Status,
)
from dossiers.services import (
    ApplicantData,
    SupplementItem,
    dossier_file_attach,
    dossier_forward,
    dossier_inter_agency_finish,
    dossier_inter_agency_start,
    dossier_rate,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_resolve,
    dossier_return_result,
    dossier_submit,
    dossier_supplement_submit,
    dossier_withdraw,
)
from dossiers.tests.factories import (
    MONDAY_MORNING,
    VN,
    commune_procedure,
    counter_dossier,
    dossier_at_step,
    online_draft,
    pdf_upload,
    received_dossier,
    submitted_dossier,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar")]

H = dt.timedelta(hours=1)


def actions(dossier):
    return list(
        DossierEvent.objects.filter(dossier=dossier).order_by("sequence").values_list("action", flat=True)
    )


def slips(dossier):
    return list(
        Slip.objects.filter(dossier=dossier).order_by("issued_at", "id").values_list("form", flat=True)
    )


def test_online_happy_path(citizen, clerk, specialist, leader, agency):
    draft = online_draft(applicant=citizen, commune=agency)
    assert (draft.status, draft.code, draft.applicant_name) == (Status.DRAFT, None, "Hoàng Thị Lan")
    dossier = dossier_submit(dossier=draft, actor=citizen, now=MONDAY_MORNING)
    assert dossier.status == Status.SUBMITTED
    assert dossier.receiving_agency == agency  # the commune is its own receiving point
    assert dossier.submitted_at == MONDAY_MORNING

    dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING + H)
    assert dossier.code == f"{agency.qcvn_code}-250908-0001"
    assert dossier.received_at == dossier.clock_started_at == MONDAY_MORNING + H
    assert dossier.due_at == dossier.original_due_at == dt.datetime(2025, 9, 15, 10, 0, tzinfo=VN)  # 5 days
    steps = list(dossier.steps.order_by("order"))
    assert [(s.order, s.role, s.agency_id) for s in steps] == [
        (1, Role.CLERK, agency.pk),
        (2, Role.SPECIALIST, agency.pk),
        (3, Role.AGENCY_LEADER, agency.pk),
        (4, Role.CLERK, agency.pk),
    ]
    assert steps[0].finished_at == MONDAY_MORNING + H
    assert steps[1].started_at is None

    dossier_forward(dossier=dossier, actor=clerk, to_user=specialist, now=MONDAY_MORNING + 2 * H)
    assert dossier.status == Status.PROCESSING
    assert dossier.transferred_at == MONDAY_MORNING + 2 * H
    appraisal = DossierStep.objects.get(pk=steps[1].pk)
    assert (appraisal.assignee, appraisal.handed_over_by) == (specialist, clerk)
    assert appraisal.due_at is not None

    dossier_forward(dossier=dossier, actor=specialist, outcome="Đủ điều kiện", now=MONDAY_MORNING + 4 * H)
    dossier_resolve(
        dossier=dossier,
        actor=leader,
        summary="Cấp giấy xác nhận",
        uploads=[pdf_upload("ket-qua.pdf")],
        now=MONDAY_MORNING + 5 * H,
    )
    assert dossier.status == Status.RESOLVED
    assert dossier.resolved_at == MONDAY_MORNING + 5 * H
    assert dossier.finished_late is False
    resolve = DossierEvent.objects.get(dossier=dossier, action="resolve")
    assert resolve.data["early"] is True
    [result] = resolve.files.all()
    assert (result.kind, result.name) == (DossierFile.Kind.RESULT, "ket-qua.pdf")
    assert DossierStep.objects.get(pk=steps[3].pk).started_at == MONDAY_MORNING + 5 * H

    dossier_return_result(dossier=dossier, actor=clerk, now=MONDAY_MORNING + 6 * H)
    assert dossier.status == Status.RETURNED
    assert dossier.returned_at == dossier.closed_at == MONDAY_MORNING + 6 * H
    assert actions(dossier) == ["submit", "receive", "forward", "forward", "resolve", "return_result"]
    assert slips(dossier) == [Slip.Form.RECEIPT]
    assert all(s.timeliness for s in dossier.steps.all())
    assert not dossier.steps.filter(finished_at__isnull=True).exists()

    rating = dossier_rate(
        dossier=dossier,
        actor=citizen,
        score=3,
        criteria={"staff_attitude": 3, "other": "Nhanh"},
        now=MONDAY_MORNING + 7 * H,
    )
    assert (rating.score, rating.criteria) == (3, {"staff_attitude": 3, "other": "Nhanh"})
    with pytest.raises(DossierInvalid, match="đã được đánh giá"):
        dossier_rate(dossier=dossier, actor=citizen, score=1)
    assert Rating.objects.filter(dossier=dossier).count() == 1


def test_rating_is_the_applicants_and_follows_the_scale(
    citizen, other_citizen, clerk, specialist, leader, agency
):
    dossier = dossier_at_step(3, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    with pytest.raises(TransitionNotAllowed):
        dossier_rate(dossier=dossier, actor=citizen, score=3)  # not returned yet
    dossier_resolve(
        dossier=dossier, actor=leader, summary="Xong", uploads=[pdf_upload()], now=MONDAY_MORNING + 2 * H
    )
    dossier_return_result(dossier=dossier, actor=clerk, now=MONDAY_MORNING + 3 * H)
    with pytest.raises(TransitionNotAllowed):
        dossier_rate(dossier=dossier, actor=other_citizen, score=3)
    for score, criteria in ((4, None), (2, {"speed": 3}), (2, {"staff_attitude": 5})):
        with pytest.raises(DossierInvalid):
            dossier_rate(dossier=dossier, actor=citizen, score=score, criteria=criteria)
    assert not Rating.objects.exists()
    dossier_rate(dossier=dossier, actor=None, score=2, source=Rating.Source.COUNTER_DEVICE)
    assert Rating.objects.get().source == Rating.Source.COUNTER_DEVICE


def test_counter_path_any_desk_receives_for_the_competent_commune(
    clerk_other_agency, other_agency, agency, specialist
):
    """Decree 118/2025: the desk of another commune receives a dossier that ``agency`` decides."""
    version = commune_procedure(components=0)
    paper = ComponentRequirementFactory.create(
        version=version, order=1, name="Bản chính giấy phép cũ", paper_only=True
    )
    dossier = counter_dossier(
        clerk=clerk_other_agency,
        commune=agency,
        version=version,
        applicant=ApplicantData(name="Lương Văn Bình", national_id="020077001122"),
        attach=False,
    )
    assert (dossier.channel, dossier.receiving_agency, dossier.competent_agency) == (
        Channel.COUNTER,
        other_agency,
        agency,
    )
    with pytest.raises(DossierInvalid) as caught:
        dossier_receive(dossier=dossier, actor=clerk_other_agency, now=MONDAY_MORNING)
    assert "Bản chính giấy phép cũ" in caught.value.message
    assert dossier.status == Status.DRAFT
    assert not DossierEvent.objects.filter(dossier=dossier).exists()

    scan = dossier_file_attach(
        dossier=dossier, actor=clerk_other_agency, upload=pdf_upload("scan.pdf"), requirement=paper
    )
    assert scan.origin == ComponentOrigin.DIGITISED
    dossier_receive(dossier=dossier, actor=clerk_other_agency, now=MONDAY_MORNING)
    assert dossier.code is not None
    assert dossier.code.startswith(f"{other_agency.qcvn_code}-250908-")
    steps = list(dossier.steps.order_by("order"))
    assert [s.agency_id for s in steps] == [other_agency.pk, agency.pk, agency.pk, other_agency.pk]
    dossier_forward(dossier=dossier, actor=clerk_other_agency, to_user=specialist, now=MONDAY_MORNING + H)
    assert dossier.status == Status.PROCESSING


def test_supplement_at_reception_online_lists_every_item_in_one_notice(citizen, clerk, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)
    [_first, second] = list(dossier.procedure_version.components.order_by("order"))
    dossier_request_supplement(
        dossier=dossier,
        actor=clerk,
        items=[
            SupplementItem(requirement_id=second.pk, note="bản chụp mờ"),
            {"note": "Tờ khai ghi thiếu nơi cư trú"},
        ],
        reason="Hồ sơ chưa đầy đủ, chưa hợp lệ",
        now=MONDAY_MORNING,
    )
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert dossier.code is None
    assert dossier.paused_since is None  # the clock had not started
    assert not dossier.pauses.exists()
    notice = Slip.objects.get(dossier=dossier, form=Slip.Form.SUPPLEMENT)
    assert notice.content["items"] == [f"{second.name} — bản chụp mờ", "Tờ khai ghi thiếu nơi cư trú"]
    assert notice.content["reason"] == "Hồ sơ chưa đầy đủ, chưa hợp lệ"

    with pytest.raises(DossierInvalid, match="Chưa có giấy tờ bổ sung"):
        dossier_supplement_submit(dossier=dossier, actor=citizen, now=MONDAY_MORNING + H)
    dossier_file_attach(
        dossier=dossier,
        actor=citizen,
        upload=pdf_upload("ban-ro.pdf"),
        kind=DossierFile.Kind.SUPPLEMENT,
        requirement=second,
    )
    dossier_supplement_submit(dossier=dossier, actor=citizen, now=MONDAY_MORNING + H)
    assert dossier.status == Status.SUBMITTED
    dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING + 2 * H)
    assert dossier.code is not None
    assert dossier.received_at == MONDAY_MORNING + 2 * H
    assert actions(dossier) == ["submit", "request_supplement", "submit_supplement", "receive"]
    assert slips(dossier) == [Slip.Form.SUPPLEMENT, Slip.Form.RECEIPT]


def test_supplement_items_must_be_published_or_clearly_described(citizen, clerk, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)
    foreign = ComponentRequirementFactory.create(name="Giấy tờ của thủ tục khác")
    cases = [
        ([SupplementItem(requirement_id=foreign.pk)], "ngoài quy định"),
        ([SupplementItem(note="thiếu")], "ghi rõ nội dung"),
        ([], "liệt kê đầy đủ"),
    ]
    for items, message in cases:
        with pytest.raises(DossierInvalid, match=message):
            dossier_request_supplement(dossier=dossier, actor=clerk, items=items, reason="Thiếu giấy tờ")
    with pytest.raises(DossierInvalid, match="Phải nêu rõ lý do"):
        dossier_request_supplement(
            dossier=dossier, actor=clerk, items=[{"note": "Bổ sung bản sao sổ hộ khẩu"}], reason=" "
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert not Slip.objects.filter(dossier=dossier).exists()


def test_counter_supplement_at_reception_then_acceptance(clerk, agency):
    dossier = counter_dossier(clerk=clerk, commune=agency, attach=False)
    requirement = dossier.procedure_version.components.order_by("order").first()
    assert requirement is not None
    dossier_request_supplement(
        dossier=dossier,
        actor=clerk,
        items=[{"requirement_id": requirement.pk}],
        reason="Thiếu giấy tờ",
        now=MONDAY_MORNING,
    )
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    for component in dossier.procedure_version.components.all():
        dossier_file_attach(
            dossier=dossier,
            actor=clerk,
            upload=pdf_upload(),
            kind=DossierFile.Kind.SUPPLEMENT,
            requirement=component,
        )
    dossier_supplement_submit(dossier=dossier, actor=clerk, now=MONDAY_MORNING + 24 * H)
    dossier_receive(dossier=dossier, actor=clerk, now=MONDAY_MORNING + 24 * H)
    assert dossier.status == Status.RECEIVED


def test_supplement_after_appraisal_pauses_then_restarts_the_time_limit(citizen, clerk, specialist, agency):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    code = dossier.code
    wednesday = dt.datetime(2025, 9, 10, 14, 0, tzinfo=VN)  # 2 working days after reception
    requirement = dossier.procedure_version.components.order_by("order").first()
    assert requirement is not None
    dossier_request_supplement(
        dossier=dossier,
        actor=specialist,
        items=[{"requirement_id": requirement.pk, "note": "hết hạn"}],
        reason="Giấy tờ đã hết hiệu lực",
        now=wednesday,
    )
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert dossier.paused_since == wednesday
    pause = dossier.pauses.get()
    assert (pause.started_at, pause.ended_at, pause.status) == (wednesday, None, Status.SUPPLEMENT_REQUESTED)
    appraisal = dossier.steps.get(order=2)
    assert appraisal.finished_at == wednesday
    assert "Giấy tờ đã hết hiệu lực" in appraisal.outcome

    dossier_file_attach(
        dossier=dossier,
        actor=citizen,
        upload=pdf_upload("moi.pdf"),
        kind=DossierFile.Kind.SUPPLEMENT,
        requirement=requirement,
    )
    friday = dt.datetime(2025, 9, 12, 9, 0, tzinfo=VN)
    dossier_supplement_submit(dossier=dossier, actor=citizen, now=friday)
    dossier_receive(dossier=dossier, actor=clerk, now=friday + H)
    assert dossier.code == code  # one dossier, one code
    assert dossier.clock_started_at == friday + H
    assert (
        dossier.due_at == dossier.original_due_at == dt.datetime(2025, 9, 19, 10, 0, tzinfo=VN)
    )  # from zero
    assert dossier.pauses.get().ended_at == friday + H
    assert dossier.paused_since is None
    receive = DossierEvent.objects.filter(dossier=dossier, action="receive").order_by("-sequence").first()
    assert receive.data["restarted"] is True
    # The steps up to the one that asked are done again; the later ones were never started.
    rows = list(dossier.steps.order_by("order", "id").values_list("order", "finished_at"))
    assert [order for order, _ in rows] == [1, 1, 2, 2, 3, 4]
    assert rows[2][1] is not None  # the new reception step is done
    dossier_forward(dossier=dossier, actor=clerk, to_user=specialist, now=friday + 2 * H)
    assert dossier.steps.filter(order=2, started_at=friday + 2 * H, finished_at__isnull=True).exists()
    assert slips(dossier) == [Slip.Form.RECEIPT, Slip.Form.SUPPLEMENT, Slip.Form.RECEIPT]


def test_supplement_after_appraisal_only_within_the_window(citizen, clerk, specialist, agency, settings):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    friday = dt.datetime(2025, 9, 12, 9, 0, tzinfo=VN)  # 4 working days after Monday's reception
    item = [{"note": "Bổ sung văn bản xác nhận của tổ dân phố"}]
    with pytest.raises(TransitionNotAllowed, match="Đã quá 3 ngày làm việc"):
        dossier_request_supplement(
            dossier=dossier, actor=specialist, items=item, reason="Cần xác nhận", now=friday
        )
    assert dossier.status == Status.PROCESSING
    assert not dossier.pauses.exists()
    settings.CONGSO_SUPPLEMENT_AFTER_APPRAISAL_DAYS = {dossier.procedure_version.sector.code: 5}
    dossier_request_supplement(
        dossier=dossier, actor=specialist, items=item, reason="Cần xác nhận", now=friday
    )
    assert dossier.status == Status.SUPPLEMENT_REQUESTED


def test_refusal_at_reception_is_not_accepted_with_mau_03(citizen, clerk, agency):
    dossier = submitted_dossier(applicant=citizen, commune=agency)
    with pytest.raises(DossierInvalid, match="Phải nêu rõ lý do"):
        dossier_refuse(dossier=dossier, actor=clerk, reason="")
    dossier_refuse(
        dossier=dossier, actor=clerk, reason="Không thuộc thẩm quyền giải quyết", now=MONDAY_MORNING
    )
    assert (dossier.status, dossier.code, dossier.closed_at) == (Status.NOT_ACCEPTED, None, MONDAY_MORNING)
    refusal = Slip.objects.get(dossier=dossier)
    assert (refusal.form, refusal.content["reason"]) == (
        Slip.Form.REFUSAL,
        "Không thuộc thẩm quyền giải quyết",
    )
    with pytest.raises(TransitionNotAllowed):
        dossier_receive(dossier=dossier, actor=clerk)


def test_refusal_after_appraisal_stops_the_dossier_with_its_result(citizen, clerk, specialist, agency):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    at = MONDAY_MORNING + 26 * H
    dossier_refuse(dossier=dossier, actor=specialist, reason="Không đủ điều kiện theo quy định", now=at)
    assert dossier.status == Status.STOPPED
    assert dossier.finished_late is False
    assert dossier.closed_at == at
    assert "Không đủ điều kiện" in dossier.result_summary
    stop = DossierEvent.objects.get(dossier=dossier, action="stop")
    assert stop.data["result"] == "refusal"
    refusal = Slip.objects.get(dossier=dossier, form=Slip.Form.REFUSAL)
    assert refusal.content["result_section"] is True
    assert not dossier.steps.filter(started_at__isnull=False, finished_at__isnull=True).exists()


def test_a_refusal_after_the_time_limit_is_recorded_late(citizen, clerk, specialist, agency):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    assert dossier.due_at is not None
    dossier_refuse(dossier=dossier, actor=specialist, reason="Không đủ điều kiện", now=dossier.due_at + H)
    assert dossier.finished_late is True


def test_an_overdue_dossier_is_closed_late_whatever_happens(citizen, clerk, specialist, leader, agency):
    dossier = dossier_at_step(3, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    due = dossier.due_at
    assert due is not None
    late = due + dt.timedelta(days=1)
    dossier_resolve(dossier=dossier, actor=leader, summary="Xong", uploads=[pdf_upload()], now=late)
    assert dossier.finished_late is True
    assert DossierEvent.objects.get(dossier=dossier, action="resolve").data == {
        "early": False,
        "late": True,
        "due_at": due.isoformat(),
        "files": [dossier.files.get(kind=DossierFile.Kind.RESULT).pk],
    }
    dossier_return_result(dossier=dossier, actor=clerk, now=late + H)
    dossier.refresh_from_db()
    assert dossier.finished_late is True
    assert dossier.steps.get(order=3).timeliness == DossierStep.Timeliness.LATE


def test_resolve_needs_a_result_file_and_every_step(citizen, clerk, specialist, leader, agency):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    with pytest.raises(TransitionNotAllowed, match="chưa qua đủ các bước"):
        dossier_resolve(dossier=dossier, actor=specialist, summary="Xong", uploads=[pdf_upload()])
    dossier_forward(dossier=dossier, actor=specialist, now=MONDAY_MORNING + 2 * H)
    with pytest.raises(DossierInvalid, match="tệp kết quả"):
        dossier_resolve(dossier=dossier, actor=leader, summary="Xong")
    with pytest.raises(TransitionNotAllowed):
        dossier_forward(dossier=dossier, actor=leader, now=MONDAY_MORNING + 3 * H)  # the last processing step
    assert dossier.status == Status.PROCESSING


def test_withdrawal_by_the_applicant_before_the_result(citizen, clerk, specialist, leader, agency):
    dossier = dossier_at_step(2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    dossier_withdraw(dossier=dossier, actor=citizen, now=MONDAY_MORNING + 3 * H)
    assert (dossier.status, dossier.closed_at) == (Status.WITHDRAWN, MONDAY_MORNING + 3 * H)
    assert dossier.steps.get(order=2).outcome == "Người nộp rút hồ sơ"

    resolved = dossier_at_step(3, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency)
    dossier_resolve(
        dossier=resolved, actor=leader, summary="Xong", uploads=[pdf_upload()], now=MONDAY_MORNING + 3 * H
    )
    with pytest.raises(TransitionNotAllowed, match="Đã xử lý xong"):
        dossier_withdraw(dossier=resolved, actor=citizen)


def test_a_clerk_records_a_withdrawal_only_with_its_written_request(citizen, clerk, agency):
    dossier = received_dossier(applicant=citizen, clerk=clerk, commune=agency)
    with pytest.raises(DossierInvalid, match="đơn đề nghị"):
        dossier_withdraw(dossier=dossier, actor=clerk)
    dossier_withdraw(dossier=dossier, actor=clerk, reason="Đơn xin rút hồ sơ ngày 08/9/2025")
    assert dossier.status == Status.WITHDRAWN


@pytest.fixture
def tax_office(db):
    return AgencyFactory.create(name="Thuế cơ sở 3 tỉnh Lạng Sơn", kind="other")


@pytest.fixture
def tax_officer(tax_office):
    officer = StaffFactory.create(full_name="Vy Văn Thành")
    MembershipFactory.create(user=officer, agency=tax_office, role=Role.SPECIALIST)
    return officer


def test_lien_thong_step_of_the_process_and_a_parallel_task(
    citizen, clerk, specialist, leader, agency, tax_office, tax_officer
):
    version = ProcedureVersionFactory.create(
        level="commune",
        processing_time=Decimal(5),
        workflow=[
            {
                "name": "Tiếp nhận",
                "actor": WorkflowStep.Actor.RECEIVING_DESK,
                "role": "clerk",
                "budget_hours": Decimal(4),
            },
            {
                "name": "Thẩm định",
                "actor": WorkflowStep.Actor.COMPETENT_AGENCY,
                "role": "specialist",
                "budget_hours": Decimal(8),
            },
            {
                "name": "Xác định nghĩa vụ thuế",
                "actor": WorkflowStep.Actor.OTHER_AGENCY,
                "agency": tax_office,
                "role": "specialist",
                "budget_hours": Decimal(8),
            },
            {
                "name": "Phê duyệt",
                "actor": WorkflowStep.Actor.COMPETENT_AGENCY,
                "role": "agency_leader",
                "budget_hours": Decimal(8),
            },
            {
                "name": "Trả kết quả",
                "actor": WorkflowStep.Actor.RECEIVING_DESK,
                "role": "clerk",
                "budget_hours": Decimal(4),
            },
        ],
    )
    dossier = dossier_at_step(
        2, applicant=citizen, clerk=clerk, specialist=specialist, commune=agency, version=version
    )
    # A parallel consultation of the land registry while appraising.
    registry = AgencyFactory.create(name="Văn phòng đăng ký đất đai", kind="other")
    registrar = StaffFactory.create()
    MembershipFactory.create(user=registrar, agency=registry, role=Role.SPECIALIST)
    task = dossier_inter_agency_start(
        dossier=dossier,
        actor=specialist,
        agency=registry,
        task="Cung cấp thông tin thửa đất",
        budget_hours=4,
        now=MONDAY_MORNING + 2 * H,
    )
    assert (task.is_inter_agency, task.agency, task.started_at) == (True, registry, MONDAY_MORNING + 2 * H)
    assert task.due_at == dt.datetime(2025, 9, 8, 16, 30, tzinfo=VN)  # 11:00–11:30, then 13:00 + 3.5 h
    with pytest.raises(TransitionNotAllowed, match="liên thông chưa hoàn thành"):
        dossier_forward(dossier=dossier, actor=specialist, now=MONDAY_MORNING + 3 * H)
    with pytest.raises(TransitionNotAllowed):
        dossier_inter_agency_finish(
            dossier=dossier, actor=tax_officer, step=task, outcome="Không phải việc của tôi"
        )
    late = dt.datetime(2025, 9, 9, 9, 0, tzinfo=VN)
    dossier_inter_agency_finish(
        dossier=dossier, actor=registrar, step=task, outcome="Thửa đất số 12, tờ bản đồ 3", now=late
    )
    task.refresh_from_db()
    assert task.timeliness == DossierStep.Timeliness.LATE
    assert DossierEvent.objects.get(dossier=dossier, action="finish_inter_agency").data["late"] is True

    # The sequential liên thông step of the process: the tax office takes over, then hands back.
    dossier_forward(dossier=dossier, actor=specialist, now=late + H)
    tax_step = dossier.steps.get(name="Xác định nghĩa vụ thuế")
    assert (tax_step.agency, tax_step.is_inter_agency, tax_step.started_at) == (tax_office, True, late + H)
    with pytest.raises(TransitionNotAllowed):
        dossier_forward(dossier=dossier, actor=specialist, now=late + 2 * H)
    dossier_forward(dossier=dossier, actor=tax_officer, outcome="Đã xác định nghĩa vụ thuế", now=late + 2 * H)
    dossier_resolve(dossier=dossier, actor=leader, summary="Xong", uploads=[pdf_upload()], now=late + 3 * H)
    assert dossier.status == Status.RESOLVED
    tax_step.refresh_from_db()
    assert tax_step.timeliness == DossierStep.Timeliness.EARLY
