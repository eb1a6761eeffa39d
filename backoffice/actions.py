"""The actions a civil servant takes on a dossier from its page or the reception desk.

Each :class:`DossierAction` ties an address (``slug``) to the engine's action (for
``dossiers.permissions.can_act``: only the actions allowed now for this person are shown), a
form, and the one service it calls. The forms check the input's shape; the services decide and
answer in Vietnamese (``DossierError.message``), which the pages show with the form as it was
typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice import action_calls as calls
from backoffice.dossier_page import DossierPage, local_text
from backoffice.forms.actions import (
    ApologyForm,
    AssignForm,
    ConsultationAnswerForm,
    ConsultationRequestForm,
    ForwardForm,
    ReceiveForm,
    RefuseForm,
    ResolveForm,
    ReturnResultForm,
    StopForm,
    SupplementRequestForm,
    SupplementSubmitForm,
    VerificationForm,
    WithdrawForm,
)
from backoffice.selectors import holders_of
from dossiers import conf
from dossiers.models import Status
from dossiers.permissions import can_act
from dossiers.transitions import Action, transition_for

Place = Literal["desk", "page"]
Tone = Literal["primary", "plain", "danger"]
TONE_ORDER: dict[str, int] = {"primary": 0, "plain": 1, "danger": 2}


def _always(page: DossierPage) -> bool:
    return True


def _never(page: DossierPage) -> bool:
    return False


def _nothing(page: DossierPage) -> dict[str, Any]:
    return {}


def _no_text(page: DossierPage) -> str:
    return ""


@dataclass(frozen=True)
class DossierAction:
    """One thing a person can do to a dossier, as the pages offer it."""

    slug: str
    action: Action
    title: Promise
    button: Promise
    form_class: type[forms.Form]
    run: Callable[[Any, DossierPage], object]
    done: Promise
    tone: Tone = "plain"
    applies: Callable[[DossierPage], bool] = _always
    """Whether the action makes sense now beyond the transition table (the next step exists …)."""
    blocked: Callable[[DossierPage], str] = _no_text
    """Why the action, allowed by the table, cannot be taken now (shown instead of the form)."""
    explain: Callable[[DossierPage], str] = _no_text
    """The rule, in words, shown above the form."""
    form_kwargs: Callable[[DossierPage], dict[str, Any]] = _nothing
    desk: Callable[[DossierPage], bool] = _never
    """Whether the action belongs to the reception desk's page rather than the dossier page."""

    def place(self, page: DossierPage) -> Place:
        return "desk" if self.desk(page) else "page"


# --- what each form is told -----------------------------------------------------------------------


def _supplement_kwargs(page: DossierPage) -> dict[str, Any]:
    return {"components": page.components, "missing": page.missing_ids}


def _step_label(page: DossierPage, step: Any) -> str:
    return f"{step.name} — {step.agency.name}" if step is not None else ""


def _forward_kwargs(page: DossierPage) -> dict[str, Any]:
    target = page.forward_target
    if target is None:
        return {}
    return {
        "candidates": holders_of(agency_id=target.agency_id, role=target.role),
        "target": _step_label(page, target),
    }


def _assign_kwargs(page: DossierPage) -> dict[str, Any]:
    step = page.current_step
    if step is None:
        return {}
    return {
        "candidates": holders_of(agency_id=step.agency_id, role=step.role),
        "target": _step_label(page, step),
    }


def _answer_kwargs(page: DossierPage) -> dict[str, Any]:
    choices = [
        (
            str(c["consultation_id"]),
            _("%(agency)s — hạn %(deadline)s: %(question)s")
            % {
                "agency": c["agency"],
                "deadline": local_text(c["deadline"]),  # type: ignore[arg-type]
                "question": str(c["question"])[:80],
            },
        )
        for c in page.open_consultations
    ]
    return {"consultations": choices}


def _supplement_explain(page: DossierPage) -> str:
    if page.status != Status.PROCESSING:
        return _(
            "Liệt kê một lần, đầy đủ mọi giấy tờ cần bổ sung, hoàn thiện; người nộp nhận Phiếu yêu cầu "
            "bổ sung (Mẫu 02) và thông báo qua thư điện tử, tin nhắn."
        )
    end = page.supplement_window_end
    window = conf.supplement_window_days(page.dossier.procedure_version.sector.code)
    return _(
        "Sau thẩm định, chỉ được yêu cầu bổ sung trong %(days)s ngày làm việc kể từ ngày tiếp nhận "
        "(đến hết ngày %(end)s). Thời hạn giải quyết tạm dừng và được tính lại từ đầu khi người nộp "
        "bổ sung đầy đủ."
    ) % {"days": window, "end": end.strftime("%d/%m/%Y") if end else ""}


def _apology_explain(page: DossierPage) -> str:
    return _(
        "Chỉ được xin lỗi, hẹn lại một lần, chậm nhất %(days)s ngày làm việc trước hạn trả kết quả "
        "(trước %(latest)s). Ngày hẹn mới phải sau ngày hẹn hiện tại (%(due)s). Phiếu xin lỗi và hẹn "
        "lại (Mẫu 04) được lập và gửi người nộp."
    ) % {
        "days": conf.apology_lead_days(),
        "latest": local_text(page.apology_deadline),
        "due": local_text(page.dossier.due_at),
    }


def _forward_explain(page: DossierPage) -> str:
    target = page.forward_target
    if target is None:
        return ""
    if page.status == Status.RECEIVED:
        return _(
            "Chuyển hồ sơ đến bước «%(step)s» của %(agency)s. Hồ sơ nhận trước 15 giờ phải chuyển "
            "trong ngày; nhận sau 15 giờ chuyển đầu giờ ngày làm việc tiếp theo."
        ) % {"step": target.name, "agency": target.agency.name}
    return _("Hoàn thành bước hiện tại và chuyển đến bước «%(step)s» của %(agency)s.") % {
        "step": target.name,
        "agency": target.agency.name,
    }


def _missing_text(page: DossierPage) -> str:
    if not page.missing:
        return ""
    return _("Chưa thể tiếp nhận: còn thiếu thành phần bắt buộc %(names)s.") % {
        "names": "; ".join(f"«{item.name}»" for item in page.missing)
    }


def _reception_stage(page: DossierPage) -> bool:
    return page.status in {Status.DRAFT, Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED}


ACTIONS: dict[str, DossierAction] = {
    a.slug: a
    for a in (
        DossierAction(
            "tiep-nhan",
            Action.RECEIVE,
            gettext_lazy("Tiếp nhận hồ sơ"),
            gettext_lazy("Tiếp nhận và lập Giấy hẹn (Mẫu 01)"),
            ReceiveForm,
            calls.receive,
            gettext_lazy("Đã tiếp nhận hồ sơ. In Giấy tiếp nhận và hẹn trả kết quả cho người nộp."),
            tone="primary",
            blocked=lambda page: _missing_text(page),
            desk=_reception_stage,
        ),
        DossierAction(
            "yeu-cau-bo-sung",
            Action.REQUEST_SUPPLEMENT,
            gettext_lazy("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
            gettext_lazy("Lập Phiếu yêu cầu bổ sung (Mẫu 02)"),
            SupplementRequestForm,
            calls.request_supplement,
            gettext_lazy("Đã yêu cầu bổ sung hồ sơ; người nộp được thông báo."),
            explain=_supplement_explain,
            form_kwargs=_supplement_kwargs,
            desk=_reception_stage,
        ),
        DossierAction(
            "tu-choi",
            Action.REFUSE,
            gettext_lazy("Từ chối tiếp nhận hồ sơ"),
            gettext_lazy("Từ chối và lập Phiếu từ chối (Mẫu 03)"),
            RefuseForm,
            calls.refuse,
            gettext_lazy("Đã từ chối tiếp nhận hồ sơ; người nộp được thông báo."),
            tone="danger",
            desk=_reception_stage,
        ),
        DossierAction(
            "nhan-bo-sung",
            Action.SUBMIT_SUPPLEMENT,
            gettext_lazy("Nhận hồ sơ bổ sung tại quầy"),
            gettext_lazy("Nhận bổ sung"),
            SupplementSubmitForm,
            calls.submit_supplement,
            gettext_lazy("Đã nhận hồ sơ bổ sung; hồ sơ chờ tiếp nhận lại."),
            tone="primary",
            explain=lambda page: _(
                "Quét, đính kèm các giấy tờ người nộp mang đến (mục «Giấy tờ cần bổ sung» ở trên) rồi "
                "bấm «Nhận bổ sung»; sau đó tiếp nhận lại hồ sơ."
            ),
            desk=_reception_stage,
        ),
        DossierAction(
            "chuyen-xu-ly",
            Action.FORWARD,
            gettext_lazy("Chuyển xử lý"),
            gettext_lazy("Chuyển"),
            ForwardForm,
            calls.forward,
            gettext_lazy("Đã chuyển hồ sơ sang bước tiếp theo."),
            tone="primary",
            applies=lambda page: page.forward_target is not None,
            explain=_forward_explain,
            form_kwargs=_forward_kwargs,
        ),
        DossierAction(
            "giai-quyet",
            Action.RESOLVE,
            gettext_lazy("Hoàn thành giải quyết"),
            gettext_lazy("Lưu kết quả giải quyết"),
            ResolveForm,
            calls.resolve,
            gettext_lazy("Đã có kết quả; hồ sơ chuyển bộ phận một cửa trả kết quả."),
            tone="primary",
            applies=lambda page: page.resolvable,
            explain=lambda page: _(
                "Đính kèm kết quả (bản điện tử có chữ ký số hoặc bản quét). Kết quả có trước ngày hẹn "
                "được thông báo để người nộp đến nhận sớm."
            ),
        ),
        DossierAction(
            "tra-ket-qua",
            Action.RETURN_RESULT,
            gettext_lazy("Trả kết quả"),
            gettext_lazy("Đã trả kết quả cho người nộp"),
            ReturnResultForm,
            calls.return_result,
            gettext_lazy("Đã trả kết quả; hồ sơ kết thúc."),
            tone="primary",
        ),
        DossierAction(
            "phan-cong",
            Action.ASSIGN,
            gettext_lazy("Phân công xử lý"),
            gettext_lazy("Phân công"),
            AssignForm,
            calls.assign,
            gettext_lazy("Đã phân công người xử lý."),
            applies=lambda page: page.current_step is not None,
            explain=lambda page: (
                _("Phân công người xử lý bước «%(step)s».")
                % {"step": page.current_step.name if page.current_step else ""}
            ),
            form_kwargs=_assign_kwargs,
        ),
        DossierAction(
            "tham-tra",
            Action.RECORD_VERIFICATION,
            gettext_lazy("Ghi nhận thẩm tra, xác minh"),
            gettext_lazy("Ghi nhận"),
            VerificationForm,
            calls.verify,
            gettext_lazy("Đã ghi nhận việc thẩm tra, xác minh."),
        ),
        DossierAction(
            "lay-y-kien",
            Action.REQUEST_CONSULTATION,
            gettext_lazy("Lấy ý kiến cơ quan liên quan"),
            gettext_lazy("Gửi lấy ý kiến"),
            ConsultationRequestForm,
            calls.consult,
            gettext_lazy("Đã ghi nhận việc lấy ý kiến."),
        ),
        DossierAction(
            "ghi-y-kien",
            Action.ANSWER_CONSULTATION,
            gettext_lazy("Ghi nhận ý kiến được lấy"),
            gettext_lazy("Ghi nhận ý kiến"),
            ConsultationAnswerForm,
            calls.answer,
            gettext_lazy("Đã ghi nhận ý kiến của cơ quan được lấy ý kiến."),
            applies=lambda page: bool(page.open_consultations),
            form_kwargs=_answer_kwargs,
        ),
        DossierAction(
            "xin-loi-hen-lai",
            Action.APOLOGISE,
            gettext_lazy("Xin lỗi và hẹn lại ngày trả kết quả"),
            gettext_lazy("Lập Phiếu xin lỗi, hẹn lại (Mẫu 04)"),
            ApologyForm,
            calls.apologise,
            gettext_lazy("Đã hẹn lại ngày trả kết quả; người nộp được thông báo."),
            blocked=lambda page: page.apology_blocked,
            explain=_apology_explain,
        ),
        DossierAction(
            "tu-choi-giai-quyet",
            Action.STOP,
            gettext_lazy("Từ chối giải quyết, dừng xử lý"),
            gettext_lazy("Từ chối giải quyết (Mẫu 03)"),
            StopForm,
            calls.refuse,
            gettext_lazy("Đã từ chối giải quyết hồ sơ; Phiếu từ chối được đưa vào kết quả."),
            tone="danger",
            explain=lambda page: _(
                "Dùng khi hồ sơ không đủ điều kiện giải quyết sau thẩm định. Phiếu từ chối (Mẫu 03) nêu "
                "lý do được lập trong thời hạn giải quyết và là kết quả của hồ sơ."
            ),
        ),
        DossierAction(
            "rut-ho-so",
            Action.WITHDRAW,
            gettext_lazy("Rút hồ sơ theo đề nghị của người nộp"),
            gettext_lazy("Ghi nhận rút hồ sơ"),
            WithdrawForm,
            calls.withdraw,
            gettext_lazy("Đã ghi nhận việc rút hồ sơ."),
            tone="danger",
        ),
    )
}


@dataclass(frozen=True)
class Offer:
    """An action offered to a person: the form to fill, or why it cannot be taken now."""

    spec: DossierAction
    form: forms.Form | None
    blocked: str
    explain: str


def allowed_now(page: DossierPage) -> list[DossierAction]:
    """The actions ``page.user`` may take on the dossier now, by the transition table
    (``can_act``) and the dossier's state (its next step, its open consultations …)."""
    offered = []
    for spec in ACTIONS.values():
        if transition_for(spec.action, page.status) is None:
            continue  # no row from this status: can_act would say no without asking
        if not can_act(page.user, page.dossier, spec.action):
            continue
        if spec.applies(page):
            offered.append(spec)
    return offered


def new_form(spec: DossierAction, page: DossierPage, data: Any = None, files: Any = None) -> forms.Form:
    """The form of ``spec`` for ``page``: bound to ``data`` when given, with the dossier's current
    ``lock_version`` otherwise."""
    kwargs = spec.form_kwargs(page)
    if data is None:
        return spec.form_class(initial={"lock_version": page.dossier.lock_version}, **kwargs)
    return spec.form_class(data, files, **kwargs)


def offers(page: DossierPage, place: Place, failed: tuple[str, forms.Form] | None = None) -> list[Offer]:
    """The actions to show at ``place``; ``failed`` is the action just refused, kept as typed."""
    result = []
    for spec in allowed_now(page):
        if spec.place(page) != place:
            continue
        blocked = spec.blocked(page)
        if failed is not None and failed[0] == spec.slug:
            form: forms.Form | None = failed[1]
        else:
            form = None if blocked else new_form(spec, page)
        result.append(Offer(spec=spec, form=form, blocked=blocked, explain=spec.explain(page)))
    # The way forward first, the ways out last.
    return sorted(result, key=lambda offer: TONE_ORDER[offer.spec.tone])
