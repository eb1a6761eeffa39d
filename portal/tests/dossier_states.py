"""Dossiers at the points of their life a citizen's pages show, built through the engine's services
(``dossiers.tests.factories``) at the explicit instants those factories use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dossiers.models import Dossier
from dossiers.services import (
    SupplementItem,
    dossier_request_supplement,
    dossier_resolve,
    dossier_return_result,
)
from dossiers.tests.factories import MONDAY_MORNING, dossier_at_step, pdf_upload, submitted_dossier

H = dt.timedelta(hours=1)
SUPPLEMENT_REASON = "Hồ sơ chưa đầy đủ, chưa hợp lệ"
CORRECTION = "Tờ khai ghi thiếu nơi cư trú hiện tại"


def supplement_requested(*, applicant: Any, clerk: Any, commune: Any) -> Dossier:
    """Submitted online, then asked at the desk for component 2 again and a correction."""
    dossier = submitted_dossier(applicant=applicant, commune=commune)
    second = dossier.procedure_version.components.order_by("order")[1]
    return dossier_request_supplement(
        dossier=dossier,
        actor=clerk,
        items=[SupplementItem(requirement_id=second.pk, note="bản chụp bị mờ"), {"note": CORRECTION}],
        reason=SUPPLEMENT_REASON,
        now=MONDAY_MORNING + H,
    )


def resolved(*, applicant: Any, clerk: Any, specialist: Any, leader: Any, commune: Any) -> Dossier:
    """Through the process to the result (``ket-qua.pdf``), not yet handed over."""
    dossier = dossier_at_step(3, applicant=applicant, clerk=clerk, specialist=specialist, commune=commune)
    return dossier_resolve(
        dossier=dossier,
        actor=leader,
        summary="Cấp Giấy xác nhận tình trạng hôn nhân",
        uploads=[pdf_upload("ket-qua.pdf")],
        now=MONDAY_MORNING + 3 * H,
    )


def returned(*, applicant: Any, clerk: Any, specialist: Any, leader: Any, commune: Any) -> Dossier:
    dossier = resolved(
        applicant=applicant, clerk=clerk, specialist=specialist, leader=leader, commune=commune
    )
    return dossier_return_result(dossier=dossier, actor=clerk, now=MONDAY_MORNING + 4 * H)
