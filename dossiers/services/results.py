"""The end of a dossier: the result (Art. 19–20), its return to the applicant, withdrawal by
the applicant, and the applicant's rating (Art. 27–32; Circular 01/2018)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from dossiers.errors import DossierInvalid, TransitionNotAllowed
from dossiers.models import Dossier, DossierFile, DossierPause, Rating
from dossiers.permissions import actor_kinds
from dossiers.services.clock import current_instant
from dossiers.services.intake import dossier_file_attach
from dossiers.services.steps import (
    is_return_step,
    open_parallel_steps,
    step_finish,
    step_start,
    unfinished_steps,
    workflow_of,
)
from dossiers.transitions import Action, ActorKind, check_transition, transition

RATING_CRITERIA: dict[str, Promise] = {
    "time_taken": gettext_lazy("Thời gian giải quyết so với thời hạn quy định"),
    "agencies_contacted": gettext_lazy("Số lượng cơ quan, đơn vị phải liên hệ"),
    "contacts_needed": gettext_lazy("Số lần phải liên hệ để hoàn thiện hồ sơ"),
    "published_information": gettext_lazy("Tính chính xác của thông tin về thủ tục đã công khai"),
    "staff_attitude": gettext_lazy("Thái độ, tác phong của cán bộ, công chức"),
    "lawful_cost": gettext_lazy("Kết quả đúng quy định; chi phí (kể cả chi phí không chính thức)"),
    "complaint_handling": gettext_lazy("Việc tiếp nhận, giải trình ý kiến phản ánh, kiến nghị"),
    "online_service": gettext_lazy("Tiến độ, chất lượng dịch vụ công trực tuyến"),
    "other": gettext_lazy("Ý kiến khác"),
}
"""Circular 01/2018 Art. 31.1 a–i: what the applicant may rate besides the overall score (1–3);
every criterion is optional, "other" takes text."""


def _result_files(dossier: Dossier) -> list[DossierFile]:
    return list(dossier.files.filter(kind=DossierFile.Kind.RESULT, replaced_by__isnull=True).order_by("id"))


def dossier_resolve(
    *,
    dossier: Dossier,
    actor: User,
    summary: str,
    uploads: Sequence[File[Any]] = (),
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The competent agency has its result: the result files (``uploads``, added to any result
    already attached), ``resolved_at``, and whether it came late; an early result is flagged in
    the history so that the applicant is told before collection (Art. 20). The step that hands
    the result back at the desk starts."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.RESOLVE, actor=actor)
    summary = summary.strip()
    if not summary:
        message = _("Phải ghi kết quả giải quyết.")
        raise DossierInvalid(message, field_errors={"summary": [message]})
    steps = unfinished_steps(dossier)
    workflow = workflow_of(dossier)
    current = steps[0] if steps else None
    if current is None or current.started_at is None:
        raise TransitionNotAllowed(_("Hồ sơ chưa đến bước giải quyết."))
    if open_parallel_steps(dossier, current):
        raise TransitionNotAllowed(
            _("Còn nhiệm vụ liên thông chưa hoàn thành; chưa thể hoàn thành giải quyết.")
        )
    rest = steps[1:]
    if rest and not (len(rest) == 1 and is_return_step(rest[0], workflow)):
        raise TransitionNotAllowed(
            _("Hồ sơ chưa qua đủ các bước của quy trình: còn bước «%(step)s».") % {"step": rest[0].name}
        )
    if not uploads and not _result_files(dossier):
        message = _("Phải đính kèm tệp kết quả giải quyết.")
        raise DossierInvalid(message, field_errors={"uploads": [message]})
    due = dossier.due_at
    late = due is not None and at > due
    early = due is not None and at < due
    with transaction.atomic():
        for upload in uploads:
            dossier_file_attach(dossier=dossier, actor=actor, upload=upload, kind=DossierFile.Kind.RESULT)
        results = _result_files(dossier)
        transition(
            dossier=dossier,
            action=Action.RESOLVE,
            actor=actor,
            expected_lock_version=expected_lock_version,
            reason=summary,
            updates={"resolved_at": at, "finished_late": late, "result_summary": summary},
            data={
                "early": early,
                "late": late,
                "due_at": due.isoformat() if due else "",
                "files": [f.pk for f in results],
            },
            files=results,
            now=at,
        )
        step_finish(step=current, at=at, outcome=summary, by=actor)
        if rest:
            step_start(step=rest[0], at=at, handed_over_by=actor)
    return dossier


def dossier_return_result(
    *,
    dossier: Dossier,
    actor: User | None,
    note: str = "",
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Hand the result to the applicant (at the desk, or online/by post: ``actor`` None when the
    system delivers it); the dossier is closed. With ``DOSSIERS_REQUIRE_SIGNED_RESULT`` every
    result file must be digitally signed first."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.RETURN_RESULT, actor=actor)
    _require_signed_results(dossier)
    steps = unfinished_steps(dossier)
    late = dossier.finished_late
    if late is None:
        late = dossier.due_at is not None and (dossier.resolved_at or at) > dossier.due_at
    with transaction.atomic():
        transition(
            dossier=dossier,
            action=Action.RETURN_RESULT,
            actor=actor,
            expected_lock_version=expected_lock_version,
            reason=note.strip(),
            updates={"returned_at": at, "closed_at": at, "finished_late": late},
            data={"late": late},
            now=at,
        )
        for step in steps:
            step_finish(step=step, at=at, outcome=note.strip() or _("Đã trả kết quả"), by=actor)
        _store_results(dossier, at)
    return dossier


def _store_results(dossier: Dossier, at: dt.datetime) -> None:
    """The result goes into the applicant's data store (kho dữ liệu), with its validity, to be
    reused in their next dossiers (Decree 61/2018 Art. 20: results are stored for reuse)."""
    # datastore builds on dossiers.services: imported here, not at the top.
    from datastore.services import dossier_results_store

    dossier_results_store(dossier=dossier, now=at)


def _require_signed_results(dossier: Dossier) -> None:
    # signing.results builds on dossiers.services: imported here, not at the top.
    from signing.conf import require_signed_result
    from signing.results import unsigned_results

    if not require_signed_result():
        return
    unsigned = unsigned_results(dossier)
    if unsigned:
        names = ", ".join(f"«{item.name}»" for item in unsigned)
        raise DossierInvalid(
            _(
                "Kết quả giải quyết chưa được ký số (%(names)s): lãnh đạo %(agency)s phải ký số "
                "kết quả trước khi trả cho người nộp."
            )
            % {"names": names, "agency": dossier.competent_agency.name},
            code="result_not_signed",
        )


def dossier_withdraw(
    *,
    dossier: Dossier,
    actor: User,
    reason: str = "",
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant withdraws the dossier before it is resolved (a clerk may record it on the
    applicant's written request, with that request as the reason)."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.WITHDRAW, actor=actor)
    reason = reason.strip()
    kinds = actor_kinds(actor, dossier)
    if not ({ActorKind.APPLICANT, ActorKind.INTEGRATION} & kinds) and not reason:
        message = _("Phải ghi căn cứ rút hồ sơ (đơn đề nghị của người nộp).")
        raise DossierInvalid(message, field_errors={"reason": [message]})
    steps = [step for step in unfinished_steps(dossier) if step.started_at is not None]
    with transaction.atomic():
        transition(
            dossier=dossier,
            action=Action.WITHDRAW,
            actor=actor,
            expected_lock_version=expected_lock_version,
            reason=reason,
            updates={"closed_at": at, "paused_since": None},
            now=at,
        )
        DossierPause.objects.filter(dossier=dossier, ended_at__isnull=True).update(ended_at=at)
        for step in steps:
            step_finish(step=step, at=at, outcome=_("Người nộp rút hồ sơ"), by=actor)
    return dossier


def _clean_criteria(criteria: Mapping[str, Any] | None) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in (criteria or {}).items():
        if key not in RATING_CRITERIA:
            raise DossierInvalid(_("Tiêu chí đánh giá «%(key)s» không có trong danh mục.") % {"key": key})
        if value in (None, ""):
            continue
        if key == "other":
            cleaned[key] = str(value).strip()[:2000]
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in Rating.Score.values:
            raise DossierInvalid(
                _("Đánh giá tiêu chí «%(name)s» phải là 1, 2 hoặc 3.") % {"name": RATING_CRITERIA[key]}
            )
        cleaned[key] = value
    return cleaned


def dossier_rate(
    *,
    dossier: Dossier,
    actor: User | None,
    score: int,
    criteria: Mapping[str, Any] | None = None,
    comment: str = "",
    source: str = Rating.Source.ONLINE,
    now: dt.datetime | None = None,
) -> Rating:
    """The applicant rates the dossier once it is returned (one rating per dossier): an overall
    score 1–3 and, optionally, the Art. 31.1 criteria. ``actor`` None: a counter device."""
    at = current_instant(now)
    check_transition(dossier=dossier, action=Action.RATE, actor=actor)
    if Rating.objects.filter(dossier=dossier).exists():
        raise DossierInvalid(_("Hồ sơ này đã được đánh giá."), code="already_rated")
    if isinstance(score, bool) or score not in Rating.Score.values:
        message = _("Mức độ hài lòng phải là 1, 2 hoặc 3.")
        raise DossierInvalid(message, field_errors={"score": [message]})
    if source not in Rating.Source.values:
        raise DossierInvalid(_("Kênh đánh giá không hợp lệ."))
    answers = _clean_criteria(criteria)
    try:
        with transaction.atomic():
            transition(
                dossier=dossier,
                action=Action.RATE,
                actor=actor,
                reason=comment.strip(),
                data={"score": score, "criteria": answers, "source": source},
                now=at,
            )
            return Rating.objects.create(
                dossier=dossier,
                score=score,
                criteria=answers,
                comment=comment.strip(),
                source=source,
                rated_at=at,
            )
    except IntegrityError:
        raise DossierInvalid(_("Hồ sơ này đã được đánh giá."), code="already_rated") from None
