"""What a slip says, taken from the dossier when it is issued and frozen in ``Slip.content``.

Everything is copied (applicant, procedure, agencies, the header lines), so a later change of
an account, a catalogue entry or an agency's name never rewrites a slip already issued.
Instants are stored as ISO 8601 text; ``render`` formats them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from accounts.models import User
from agencies.models import Agency
from catalog.models import ComponentRequirement
from catalog.published import version_components
from dossiers.errors import DossierInvalid
from dossiers.models import Channel, Dossier, DossierFile, DossierStep, Slip
from dossiers.services.steps import handover_sources
from dossiers.slips.decree30 import agency_header, place_for
from dossiers.slips.forms import FormSpec

LOOKUP_URL_NAME = "portal:dossier_lookup"


def lookup_url(code: str) -> str:
    """The public page where anyone follows a dossier by its code (the QR code of Mẫu 01)."""
    try:
        path = reverse(LOOKUP_URL_NAME, kwargs={"code": code})
    except NoReverseMatch:
        path = f"/tra-cuu/{quote(code)}/"
    base: str = getattr(settings, "CONGSO_PUBLIC_URL", "")
    return base.rstrip("/") + path


def _iso(instant: dt.datetime | None) -> str:
    return instant.isoformat() if instant is not None else ""


def _person(user: User | None) -> str:
    return user.get_full_name() if user is not None else ""


def _agency(agency: Agency | None) -> dict[str, str]:
    if agency is None:
        return {"name": "", "address": "", "phone": "", "code": ""}
    return {"name": agency.name, "address": agency.address, "phone": agency.phone, "code": agency.code}


def _copy_type(originals: int, copies: int) -> str:
    if originals and copies:
        return _("Bản chính và bản sao")
    if copies:
        return _("Bản sao")
    return _("Bản chính")


def _components(dossier: Dossier) -> list[dict[str, Any]]:
    """The components received, one row per required document (files replaced are left out)."""
    files = list(
        DossierFile.objects.filter(
            dossier=dossier, kind=DossierFile.Kind.COMPONENT, replaced_by__isnull=True
        ).values_list("pk", "requirement_id", "name", "uploaded_at")
    )
    if not files:
        return []
    # The version's components are kept per process once published (``catalog.published``).
    published = {item.pk: item for item in version_components(dossier.procedure_version)}
    strays = {f[1] for f in files if f[1] is not None and f[1] not in published}
    if strays:  # pragma: no cover - a file is attached to a component of the dossier's version
        published.update(ComponentRequirement.objects.in_bulk(strays))
    last = float("inf")  # files outside the list come after the listed components
    files.sort(key=lambda f: (published[f[1]].order if f[1] is not None else last, f[3], f[0]))
    rows: dict[object, dict[str, Any]] = {}
    electronic = dossier.channel == Channel.ONLINE
    for file_pk, requirement_id, file_name, _at in files:
        requirement = published[requirement_id] if requirement_id is not None else None
        key: object = requirement.pk if requirement is not None else f"file-{file_pk}"
        if key in rows:
            if electronic:
                rows[key]["count"] += 1
            continue
        if requirement is None:
            rows[key] = {"name": file_name, "copy_type": _("Bản điện tử"), "count": 1}
        elif electronic:
            rows[key] = {"name": requirement.name, "copy_type": _("Bản điện tử"), "count": 1}
        else:
            rows[key] = {
                "name": requirement.name,
                "copy_type": _copy_type(requirement.originals, requirement.copies),
                "count": max(1, requirement.originals + requirement.copies),
            }
    return list(rows.values())


def _handovers(dossier: Dossier) -> list[dict[str, Any]]:
    """Mẫu 05: one row per hand-over, that is per step that has started, in order."""
    steps = list(
        DossierStep.objects.filter(dossier=dossier, started_at__isnull=False)
        .select_related("agency", "assignee", "handed_over_by", "received_by")
        .order_by("order", "id")
    )
    sources = handover_sources(steps)  # a liên thông task run beside a step is not the next one's source
    rows: list[dict[str, Any]] = []
    for step in steps:
        rows.append(
            {
                "from_agency": sources[step.pk],
                "to_agency": step.agency.name,
                "step": step.name,
                "handed_over_at": _iso(step.started_at),
                "handed_over_by": _person(step.handed_over_by),
                "received_by": _person(step.received_by or step.assignee),
                "due_at": _iso(step.due_at),
                "finished_at": _iso(step.finished_at),
                "timeliness": step.timeliness,
                "timeliness_label": str(step.get_timeliness_display()) if step.timeliness else "",
                "outcome": step.outcome,
            }
        )
    return rows


def _latest_event(dossier: Dossier) -> tuple[str, dict[str, Any]]:
    """The reason and data of the last change of status (the request the slip answers)."""
    event = dossier.events.order_by("-sequence").first()
    if event is None:
        return "", {}
    return event.reason, event.data if isinstance(event.data, dict) else {}


def _items(data: dict[str, Any]) -> list[str]:
    items = data.get("items", [])
    return [str(item) for item in items] if isinstance(items, list) else []


def _base(*, dossier: Dossier, spec: FormSpec, agency: Agency, actor: User | None) -> dict[str, Any]:
    version = dossier.procedure_version
    header = agency_header(agency)
    return {
        "header": {"parent": header.parent, "issuer": header.issuer},
        "issuing_agency": _agency(agency),
        "place": place_for(agency),
        "title": str(spec.title),
        "dossier": {
            "code": dossier.code or "",
            "reference": dossier.reference,
            "channel": dossier.channel,
            "channel_label": str(dossier.get_channel_display()),
            "sets": dossier.sets,
            "received_at": _iso(dossier.received_at),
            "due_at": _iso(dossier.due_at),
        },
        "applicant": {
            "name": dossier.applicant_name,
            "national_id": dossier.applicant_national_id,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
            "organization_name": dossier.organization_name,
            "organization_tax_code": dossier.organization_tax_code,
        },
        "procedure": {
            "code": version.procedure.code,
            "name": version.name,
            "version": version.number,
            "processing_time": version.processing_time_text,
        },
        "receiving_agency": _agency(dossier.receiving_agency),
        "competent_agency": _agency(dossier.competent_agency),
        "signer": {"title": str(spec.signer_title), "name": _person(actor)},
    }


def _merge(built: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    merged = dict(built)
    for key, value in given.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _require(condition: object, message: str) -> None:
    if not condition:
        raise DossierInvalid(message, code="slip_incomplete")


def build_content(
    *, dossier: Dossier, spec: FormSpec, agency: Agency, actor: User | None, given: dict[str, Any]
) -> dict[str, Any]:
    """The content of form ``spec`` for ``dossier``, with what the caller gave laid over it."""
    given = json.loads(json.dumps(given, cls=DjangoJSONEncoder))
    content = _base(dossier=dossier, spec=spec, agency=agency, actor=actor)
    form = spec.form
    if form == Slip.Form.RECEIPT:
        content["components"] = _components(dossier)
        content["result_place"] = (dossier.receiving_agency or agency).name
        content["lookup_url"] = lookup_url(dossier.code) if dossier.code else ""
    elif form in {Slip.Form.SUPPLEMENT, Slip.Form.REFUSAL}:
        reason, data = _latest_event(dossier)
        content["reason"] = reason
        if form == Slip.Form.REFUSAL and given.get("result_section"):
            content["signer"]["title"] = _("Thủ trưởng cơ quan")
        if form == Slip.Form.SUPPLEMENT:
            content["items"] = _items(data)
            content["contact"] = {"name": _person(actor), "phone": agency.phone}
    elif form == Slip.Form.APOLOGY:
        reason, data = _latest_event(dossier)
        content["reason"] = reason
        # The appointment being missed: the one the rescheduling replaced (recorded with it).
        content["original_due_at"] = data.get("previous_due_at") or _iso(dossier.original_due_at)
        content["new_due_at"] = _iso(dossier.due_at)
        content["recipients"] = [
            _("Như trên"),
            (dossier.receiving_agency or agency).name,
            _("Lưu: VT"),
        ]
    elif form == Slip.Form.CONTROL:
        content["handovers"] = _handovers(dossier)
    content = _merge(content, given)
    _check(form, content)
    return content


def _check(form: str, content: dict[str, Any]) -> None:
    code = content["dossier"]["code"]
    if form in {Slip.Form.RECEIPT, Slip.Form.APOLOGY, Slip.Form.CONTROL}:
        _require(code, _("Hồ sơ chưa có mã số hồ sơ: chưa thể lập phiếu này."))
    if form == Slip.Form.RECEIPT:
        _require(
            content["dossier"]["received_at"] and content["dossier"]["due_at"],
            _("Giấy tiếp nhận phải ghi thời gian nhận hồ sơ và thời gian hẹn trả kết quả."),
        )
    if form == Slip.Form.SUPPLEMENT:
        items = content.get("items")
        _require(
            isinstance(items, list) and any(str(item).strip() for item in items),
            _("Phiếu yêu cầu bổ sung phải liệt kê đầy đủ các nội dung cần bổ sung, hoàn thiện."),
        )
    if form in {Slip.Form.SUPPLEMENT, Slip.Form.REFUSAL, Slip.Form.APOLOGY}:
        _require(str(content.get("reason", "")).strip(), _("Phải nêu rõ lý do."))
    if form == Slip.Form.APOLOGY:
        _require(
            content.get("original_due_at") and content.get("new_due_at"),
            _("Phiếu xin lỗi phải ghi ngày hẹn trả ban đầu và ngày hẹn trả kết quả lại."),
        )
        _require(
            content["original_due_at"] != content["new_due_at"],
            _("Ngày hẹn trả kết quả lại phải khác ngày hẹn trả ban đầu."),
        )


def _line(label: str, value: object) -> str:
    return f"{label}: {value}" if value not in ("", None) else ""


def content_text(*, number: str, content: dict[str, Any]) -> str:
    """The slip as plain text, for the search box of the back office."""
    applicant = content["applicant"]
    procedure = content["procedure"]
    lines = [
        content["header"]["parent"],
        content["header"]["issuer"],
        f"Số: {number}",
        content["title"].upper(),
        _line(_("Mã hồ sơ"), content["dossier"]["code"]),
        _line(_("Người nộp"), applicant["name"]),
        _line(_("Tổ chức"), applicant["organization_name"]),
        _line(_("Số định danh cá nhân"), applicant["national_id"]),
        _line(_("Số điện thoại"), applicant["phone"]),
        _line(_("Địa chỉ"), applicant["address"]),
        _line(_("Thủ tục"), f"{procedure['name']} ({procedure['code']})"),
        _line(_("Lý do"), content.get("reason", "")),
    ]
    lines += [f"{n}. {item}" for n, item in enumerate(content.get("items", []), start=1)]
    lines += [f"- {row['name']}" for row in content.get("components", [])]
    lines += [
        f"{row['to_agency']} {row['step']} {row['timeliness_label']}" for row in content.get("handovers", [])
    ]
    return "\n".join(line for line in lines if line)
