"""The actions a caller may take on a dossier through ``POST /api/v1/dossiers/{code}/{action}/``.

Each :class:`ApiAction` names the URL slug, the rows of the transition table that make it
available (for ``allowed_actions`` in the dossier's detail), the request body and the service it
calls. Nothing here decides whether an action is allowed: the services and
``dossiers.transitions`` do, and their refusals become 400/403/409 (``dossiers.api.errors``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

from accounts.models import User
from agencies.selectors import agency_on
from catalog.models import ComponentRequirement
from dossiers.api import examples
from dossiers.api import serializers as io
from dossiers.api.errors import bad_request
from dossiers.errors import DossierInvalid
from dossiers.models import Dossier, DossierFile, DossierStep
from dossiers.selectors import inter_agency_task
from dossiers.services import (
    SupplementItem,
    dossier_apologise,
    dossier_assign,
    dossier_fees_request,
    dossier_file_attach,
    dossier_forward,
    dossier_inter_agency_finish,
    dossier_inter_agency_start,
    dossier_payment_confirm,
    dossier_rate,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_resolve,
    dossier_return_result,
    dossier_supplement_submit,
    dossier_withdraw,
)
from dossiers.services.inter_agency import dossier_inter_agency_assign
from dossiers.services.stored_files import StoredFiles
from dossiers.transitions import Action, check_transition

Perform = Callable[[Dossier, User, Mapping[str, Any]], object]


@dataclass(frozen=True)
class ApiAction:
    slug: str
    actions: tuple[str, ...]
    """The engine's actions (``dossiers.transitions.Action`` values) behind the slug."""
    serializer: type[serializers.Serializer[Any]]
    perform: Perform
    summary: str
    description: str
    examples: tuple[OpenApiExample, ...] = ()
    """Request bodies shown in the OpenAPI documentation."""

    @property
    def url_name(self) -> str:
        return f"dossier-{self.slug}"

    @property
    def operation_id(self) -> str:
        return "dossiers_" + self.slug.replace("-", "_")


def requirement_for(dossier: Dossier, order: int | None, *, field: str) -> ComponentRequirement | None:
    """The published component numbered ``order`` in the dossier's procedure version."""
    if order is None:
        return None
    found = (
        ComponentRequirement.objects.filter(version_id=dossier.procedure_version_id, order=order)
        .order_by("id")
        .first()
    )
    if found is None:
        raise bad_request(
            _("Thủ tục không có thành phần hồ sơ số %(order)s.") % {"order": order}, field=field
        )
    return found


def attach_files(
    *,
    dossier: Dossier,
    actor: User,
    files: list[dict[str, Any]],
    kind: str,
    stored: StoredFiles,
    field: str = "files",
) -> list[DossierFile]:
    """Attach each file (base64 already decoded) through the service, remembering what was stored
    so that a rolled-back request leaves no file behind. A file refused by the service's checks is
    named by its place in the request (``files[2]``)."""
    attached = []
    for position, item in enumerate(files):
        name = f"{field}[{position}]"
        requirement = requirement_for(dossier, item.get("component"), field=f"{name}.component")
        try:
            record = dossier_file_attach(
                dossier=dossier, actor=actor, upload=io.as_upload(item), kind=kind, requirement=requirement
            )
        except DossierInvalid as error:
            raise DossierInvalid(
                error.message, code=error.code, field_errors={name: [error.message]}
            ) from error
        stored.add(record)
        attached.append(record)
    return attached


def _lock(data: Mapping[str, Any]) -> int | None:
    value = data.get("lock_version")
    return int(value) if value is not None else None


def _receive(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    return dossier_receive(dossier=dossier, actor=actor, expected_lock_version=_lock(data))


def _request_supplement(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    items = []
    for position, item in enumerate(data["items"]):
        requirement = requirement_for(dossier, item.get("component"), field=f"items[{position}].component")
        items.append(
            SupplementItem(requirement_id=requirement.pk if requirement else None, note=item.get("note", ""))
        )
    return dossier_request_supplement(
        dossier=dossier, actor=actor, items=items, reason=data["reason"], expected_lock_version=_lock(data)
    )


def _submit_supplement(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    with StoredFiles() as stored, transaction.atomic():
        attach_files(
            dossier=dossier, actor=actor, files=data["files"], kind=DossierFile.Kind.SUPPLEMENT, stored=stored
        )
        return dossier_supplement_submit(
            dossier=dossier, actor=actor, note=data["note"], expected_lock_version=_lock(data)
        )


def _refuse(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    return dossier_refuse(
        dossier=dossier, actor=actor, reason=data["reason"], expected_lock_version=_lock(data)
    )


def _forward(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    return dossier_forward(
        dossier=dossier,
        actor=actor,
        to_user=data.get("to_user"),
        outcome=data["outcome"],
        expected_lock_version=_lock(data),
    )


def _assign(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    return dossier_assign(
        dossier=dossier, actor=actor, assignee=data["assignee"], expected_lock_version=_lock(data)
    )


def _apologise(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    return dossier_apologise(
        dossier=dossier,
        actor=actor,
        reason=data["reason"],
        new_due_at=data["new_due_at"],
        expected_lock_version=_lock(data),
    )


def _request_payment(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    return dossier_fees_request(
        dossier=dossier, actor=actor, note=data["note"], expected_lock_version=_lock(data)
    )


def _inter_agency_start(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    agency = agency_on(code=data["agency"].strip())
    if agency is None:
        raise bad_request(
            _("Không có cơ quan, đơn vị đang hoạt động với mã %(code)s.") % {"code": data["agency"]},
            field="agency",
        )
    return dossier_inter_agency_start(
        dossier=dossier,
        actor=actor,
        agency=agency,
        task=data["task"],
        budget_hours=data["budget_hours"],
        role=data["role"],
        expected_lock_version=_lock(data),
    )


def inter_agency_step(dossier: Dossier, step_id: int) -> DossierStep:
    """The liên thông task ``step_id`` of ``dossier`` (a 400 naming ``step`` when it has none)."""
    found = inter_agency_task(dossier, step_id)
    if found is None:
        raise bad_request(_("Hồ sơ không có nhiệm vụ liên thông số %(id)s.") % {"id": step_id}, field="step")
    return found


def _inter_agency_finish(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    step = inter_agency_step(dossier, data["step"])
    if data["files"]:
        # Someone who may not record this result is told so, not that files cannot be attached.
        check_transition(dossier=dossier, action=Action.FINISH_INTER_AGENCY, actor=actor)
    # The answer's documents are attached as working files first (tracked, so a refused result
    # leaves none on disk), then go on the result's history row.
    with StoredFiles() as stored, transaction.atomic():
        files = attach_files(
            dossier=dossier, actor=actor, files=data["files"], kind=DossierFile.Kind.WORKING, stored=stored
        )
        return dossier_inter_agency_finish(
            dossier=dossier,
            actor=actor,
            step=step,
            outcome=data["outcome"],
            files=files,
            expected_lock_version=_lock(data),
        )


def _inter_agency_assign(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    return dossier_inter_agency_assign(
        dossier=dossier,
        actor=actor,
        step=inter_agency_step(dossier, data["step"]),
        assignee=data["assignee"],
        expected_lock_version=_lock(data),
    )


def _confirm_payment(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    return dossier_payment_confirm(
        dossier=dossier, actor=actor, reference=data["reference"], expected_lock_version=_lock(data)
    )


def _resolve(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    # The result files are attached first (tracked, so a refused resolution leaves none on
    # disk); dossier_resolve then takes every result file in force.
    with StoredFiles() as stored, transaction.atomic():
        attach_files(
            dossier=dossier, actor=actor, files=data["files"], kind=DossierFile.Kind.RESULT, stored=stored
        )
        return dossier_resolve(
            dossier=dossier, actor=actor, summary=data["summary"], expected_lock_version=_lock(data)
        )


def _return_result(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    return dossier_return_result(
        dossier=dossier, actor=actor, note=data["note"], expected_lock_version=_lock(data)
    )


def _withdraw(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    return dossier_withdraw(
        dossier=dossier, actor=actor, reason=data["reason"], expected_lock_version=_lock(data)
    )


def _rate(dossier: Dossier, actor: User, data: Mapping[str, Any]) -> object:
    return dossier_rate(
        dossier=dossier,
        actor=actor,
        score=int(data["score"]),
        criteria=data["criteria"],
        comment=data["comment"],
    )


API_ACTIONS: tuple[ApiAction, ...] = (
    ApiAction(
        "receive",
        (Action.RECEIVE,),
        io.DossierLockVersionSerializer,
        _receive,
        "Tiếp nhận hồ sơ",
        "Cán bộ một cửa của nơi tiếp nhận tiếp nhận hồ sơ đủ thành phần: cấp mã số hồ sơ, tính ngày hẹn "
        "trả (ngày làm việc), tạo các bước xử lý và lập Mẫu 01.",
    ),
    ApiAction(
        "request-supplement",
        (Action.REQUEST_SUPPLEMENT,),
        io.DossierRequestSupplementSerializer,
        _request_supplement,
        "Yêu cầu bổ sung, hoàn thiện hồ sơ",
        "Liệt kê một lần mọi giấy tờ cần bổ sung (Mẫu 02): khi tiếp nhận (cán bộ một cửa) hoặc sau thẩm "
        "định trong thời hạn cho phép (người xử lý); thời hạn giải quyết tạm dừng.",
    ),
    ApiAction(
        "submit-supplement",
        (Action.SUBMIT_SUPPLEMENT,),
        io.DossierSubmitSupplementSerializer,
        _submit_supplement,
        "Nộp giấy tờ bổ sung",
        "Người nộp (hoặc cán bộ một cửa nhận bản giấy) gửi các giấy tờ được yêu cầu; hồ sơ trở lại chờ "
        "tiếp nhận.",
    ),
    ApiAction(
        "refuse",
        (Action.REFUSE, Action.STOP),
        io.DossierReasonSerializer,
        _refuse,
        "Từ chối hồ sơ",
        "Trước khi tiếp nhận: không tiếp nhận (trạng thái 3). Sau khi tiếp nhận: cơ quan giải quyết từ "
        "chối, dừng xử lý (trạng thái 8). Lập Mẫu 03 với lý do.",
    ),
    ApiAction(
        "forward",
        (Action.FORWARD,),
        io.DossierForwardSerializer,
        _forward,
        "Chuyển xử lý",
        "Chuyển hồ sơ sang bước kế tiếp của quy trình (bàn giao: ai, khi nào, cho ai — Mẫu 05); từ một "
        "cửa sang cơ quan giải quyết hoặc giữa các bước.",
    ),
    ApiAction(
        "assign",
        (Action.ASSIGN,),
        io.DossierAssignSerializer,
        _assign,
        "Phân công xử lý",
        "Lãnh đạo cơ quan phân công người xử lý bước hiện tại.",
    ),
    ApiAction(
        "inter-agency-start",
        (Action.START_INTER_AGENCY,),
        io.DossierInterAgencyStartSerializer,
        _inter_agency_start,
        "Gửi nhiệm vụ liên thông đến cơ quan phối hợp",
        "Người xử lý bước hiện tại (hoặc lãnh đạo cơ quan giải quyết) giao cho cơ quan khác một nhiệm vụ "
        "làm song song với bước đang xử lý (Điều 19 Nghị định 61/2018): cơ quan, nhiệm vụ, thời gian thực "
        "hiện và vai trò nhận nhiệm vụ; hạn tính theo ngày làm việc của cơ quan đó. Hồ sơ chỉ chuyển bước "
        "khi mọi cơ quan phối hợp đã trả kết quả. Nhiệm vụ mới là bước có `is_inter_agency` trong `steps`.",
        (examples.INTER_AGENCY_START,),
    ),
    ApiAction(
        "inter-agency-assign",
        (Action.ASSIGN_INTER_AGENCY,),
        io.DossierInterAgencyAssignSerializer,
        _inter_agency_assign,
        "Phân công thực hiện nhiệm vụ liên thông",
        "Lãnh đạo cơ quan phối hợp giao nhiệm vụ liên thông của cơ quan mình (steps[].id) cho một cán bộ "
        "giữ vai trò của nhiệm vụ; có thể giao lại cho người khác. Người được giao thấy hồ sơ trong hàng "
        "đợi của mình và ghi kết quả.",
        (examples.INTER_AGENCY_ASSIGN,),
    ),
    ApiAction(
        "inter-agency-finish",
        (Action.FINISH_INTER_AGENCY,),
        io.DossierInterAgencyFinishSerializer,
        _inter_agency_finish,
        "Ghi kết quả nhiệm vụ liên thông",
        "Người thực hiện nhiệm vụ liên thông (người được giao, hoặc khi chưa giao: cán bộ giữ vai trò của "
        "nhiệm vụ tại cơ quan phối hợp) ghi kết quả và trả lại cơ quan chủ trì; nhiệm vụ được đánh giá "
        "sớm, đúng hay quá hạn. Có thể gửi kèm văn bản trả lời (thông báo thuế, văn bản ý kiến, thường là "
        "PDF đã ký số) trong `files`: các tệp được lưu là tài liệu xử lý của hồ sơ và gắn với kết quả trong "
        "lịch sử; kết quả bị từ chối thì không tệp nào được lưu.",
        (examples.INTER_AGENCY_FINISH,),
    ),
    ApiAction(
        "apologise",
        (Action.APOLOGISE,),
        io.DossierApologiseSerializer,
        _apologise,
        "Xin lỗi và hẹn lại ngày trả kết quả",
        "Lập Mẫu 04 với lý do và ngày hẹn mới, chậm nhất 1 ngày làm việc trước hạn; chỉ một lần.",
    ),
    ApiAction(
        "request-payment",
        (Action.REQUEST_PAYMENT,),
        io.DossierRequestPaymentSerializer,
        _request_payment,
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        "Các khoản phí, lệ phí của hồ sơ chưa nộp (theo thủ tục, đã trừ miễn, giảm) được liệt kê tự động "
        "cùng tổng số tiền; `note` ghi thêm nội dung, và là bắt buộc khi không còn khoản phí nào (nghĩa vụ "
        "tài chính khác: thuế, tiền sử dụng đất …). Người nộp được thông báo và thanh toán trực tuyến; thời "
        "hạn giải quyết tạm dừng cho đến khi nghĩa vụ tài chính được xác nhận.",
        (examples.REQUEST_PAYMENT, examples.REQUEST_PAYMENT_OTHER),
    ),
    ApiAction(
        "confirm-payment",
        (Action.CONFIRM_PAYMENT,),
        io.DossierConfirmPaymentSerializer,
        _confirm_payment,
        "Xác nhận đã thực hiện nghĩa vụ tài chính",
        "Hồ sơ tiếp tục được xử lý; ngày hẹn lùi theo thời gian chờ.",
    ),
    ApiAction(
        "resolve",
        (Action.RESOLVE,),
        io.DossierResolveSerializer,
        _resolve,
        "Hoàn thành giải quyết",
        "Ghi kết quả và tệp kết quả; kết quả trước hạn được thông báo cho người nộp.",
    ),
    ApiAction(
        "return-result",
        (Action.RETURN_RESULT,),
        io.DossierNoteSerializer,
        _return_result,
        "Trả kết quả",
        "Trả kết quả cho người nộp; hồ sơ kết thúc.",
    ),
    ApiAction(
        "withdraw",
        (Action.WITHDRAW,),
        io.DossierOptionalReasonSerializer,
        _withdraw,
        "Rút hồ sơ",
        "Người nộp rút hồ sơ chưa có kết quả (cán bộ một cửa ghi nhận theo đơn của người nộp, phải ghi "
        "căn cứ).",
    ),
    ApiAction(
        "rate",
        (Action.RATE,),
        io.DossierRateSerializer,
        _rate,
        "Đánh giá mức độ hài lòng",
        "Người nộp đánh giá hồ sơ đã trả kết quả (một lần): mức chung 1–3 và các tiêu chí.",
    ),
)

API_ACTION_BY_SLUG: dict[str, ApiAction] = {spec.slug: spec for spec in API_ACTIONS}
