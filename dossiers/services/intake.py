"""Creating a dossier: an online draft that the applicant fills and submits, or a counter
dossier that a clerk types in from the paper the applicant brought; and attaching files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import integration_client
from agencies.models import Agency
from catalog.models import ComponentRequirement, ProcedureVersion
from catalog.published import version_components
from dossiers.errors import ConcurrentUpdate, DossierInvalid, TransitionNotAllowed
from dossiers.models import Channel, ComponentOrigin, Dossier, DossierFile, Status
from dossiers.permissions import actor_kinds, roles_by_agency
from dossiers.services.clock import current_instant, local_day
from dossiers.services.files import check_upload
from dossiers.services.search import search_text_of
from dossiers.transitions import Action, ActorKind, check_transition, transition
from signing.dossier_files import verification_enqueue

_UNSET: Any = object()


@dataclass(frozen=True)
class ApplicantData:
    """Who applies, as written on the dossier (a snapshot: later account changes do not alter it)."""

    name: str
    national_id: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    organization_name: str = ""
    organization_tax_code: str = ""


def _snapshot(applicant: ApplicantData) -> dict[str, str]:
    name = applicant.name.strip()
    if not name:
        message = _("Phải nhập họ tên người nộp hồ sơ.")
        raise DossierInvalid(message, field_errors={"applicant_name": [message]})
    return {
        "applicant_name": name[:150],
        "applicant_national_id": applicant.national_id.strip(),
        "applicant_phone": applicant.phone.strip(),
        "applicant_email": applicant.email.strip(),
        "applicant_address": applicant.address.strip(),
        "organization_name": applicant.organization_name.strip(),
        "organization_tax_code": applicant.organization_tax_code.strip(),
    }


def _citizen_snapshot(user: User, given: ApplicantData | None) -> dict[str, str]:
    """A citizen applies as themself: name and ID from the account, contacts may be updated."""
    return _snapshot(
        ApplicantData(
            name=user.get_full_name(),
            national_id=user.national_id or "",
            phone=(given.phone if given and given.phone else user.phone),
            email=(given.email if given and given.email else user.email),
            address=(given.address if given and given.address else user.address),
            organization_name=given.organization_name if given else "",
            organization_tax_code=given.organization_tax_code if given else "",
        )
    )


def _citizen_by_national_id(national_id: str) -> User | None:
    if not national_id:
        return None
    return User.objects.filter(national_id=national_id, kind=User.Kind.CITIZEN, is_active=True).first()


def _require_in_force(version: ProcedureVersion, day: dt.date) -> None:
    if not version.is_in_force_on(day):
        raise DossierInvalid(_("Thủ tục này không còn áp dụng; vui lòng chọn thủ tục đang có hiệu lực."))


def competent_agency_for(*, version: ProcedureVersion, commune: Agency | None, day: dt.date) -> Agency:
    """The agency that decides: the version's, or for a commune-level procedure the commune the
    applicant chose (which must exist on ``day``)."""
    if version.level == ProcedureVersion.Level.COMMUNE:
        if commune is None:
            message = _("Phải chọn xã, phường, đặc khu giải quyết hồ sơ.")
            raise DossierInvalid(message, field_errors={"commune": [message]})
        if commune.kind != Agency.Kind.COMMUNE or not commune.is_active_on(day):
            message = _("Xã, phường, đặc khu đã chọn không còn hoặc không phải đơn vị cấp xã hiện hành.")
            raise DossierInvalid(message, field_errors={"commune": [message]})
        return commune
    if version.competent_agency is None:
        raise DossierInvalid(
            _("Thủ tục chưa xác định cơ quan có thẩm quyền giải quyết; đề nghị liên hệ quản trị.")
        )
    return version.competent_agency


def online_receiving_desk(*, competent_agency: Agency, version: ProcedureVersion, day: dt.date) -> Agency:
    """The desk that receives online dossiers for ``competent_agency``: the provincial Public
    Administration Service Centre for provincial procedures; a commune's one-stop desk (or the
    commune itself when it is the receiving point)."""
    current = Agency.objects.active_on(day)
    if version.level == ProcedureVersion.Level.PROVINCE:
        desk = current.filter(kind=Agency.Kind.SERVICE_CENTER).order_by("pk").first()
    else:
        desk = (
            current.filter(parent=competent_agency, kind=Agency.Kind.ONE_STOP_DESK, is_receiving_point=True)
            .order_by("pk")
            .first()
        )
    if desk is None and competent_agency.is_receiving_point:
        desk = competent_agency
    if desk is None:
        raise DossierInvalid(
            _("Chưa xác định được bộ phận một cửa tiếp nhận hồ sơ của %(agency)s; đề nghị liên hệ quản trị.")
            % {"agency": competent_agency.name}
        )
    return desk


def _check_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 64:
        raise DossierInvalid(_("Khóa chống gửi trùng phải có từ 1 đến 64 ký tự."))
    return key


def dossier_draft_create(
    *,
    actor: User,
    procedure_version: ProcedureVersion,
    commune: Agency | None = None,
    applicant: ApplicantData | None = None,
    idempotency_key: str | None = None,
    notes: str = "",
    now: dt.datetime | None = None,
) -> Dossier:
    """Start an online dossier: by a citizen for themself, or by an integration client for the
    applicant it names. The same ``idempotency_key`` from the same actor returns the same draft."""
    at = current_instant(now)
    key = _check_key(idempotency_key)
    if key is not None:
        existing = Dossier.objects.filter(submitted_by=actor, idempotency_key=key).first()
        if existing is not None:
            return existing
    if actor.kind == User.Kind.CITIZEN:
        snapshot = _citizen_snapshot(actor, applicant)
        applicant_user: User | None = actor
    elif actor.kind == User.Kind.INTEGRATION and integration_client(actor) is not None:
        if applicant is None:
            raise DossierInvalid(_("Phải cung cấp thông tin người nộp hồ sơ."))
        snapshot = _snapshot(applicant)
        applicant_user = _citizen_by_national_id(snapshot["applicant_national_id"])
    else:
        raise TransitionNotAllowed(
            _(
                "Chỉ người dân, tổ chức hoặc hệ thống tích hợp được nộp hồ sơ trực tuyến; "
                "cán bộ dùng chức năng tiếp nhận trực tiếp."
            )
        )
    day = local_day(at)
    _require_in_force(procedure_version, day)
    if not procedure_version.is_online:
        raise DossierInvalid(
            _("Thủ tục này chưa cung cấp dịch vụ công trực tuyến; vui lòng nộp trực tiếp hoặc qua bưu chính.")
        )
    competent = competent_agency_for(version=procedure_version, commune=commune, day=day)
    try:
        with transaction.atomic():
            return _insert(
                Dossier(
                    procedure_version=procedure_version,
                    channel=Channel.ONLINE,
                    applicant=applicant_user,
                    submitted_by=actor,
                    idempotency_key=key,
                    competent_agency=competent,
                    notes=notes,
                    **snapshot,
                )
            )
    except IntegrityError:
        if key is None:
            raise
        # The same request arrived twice at once: the other one created it.
        return Dossier.objects.get(submitted_by=actor, idempotency_key=key)


def _desk_for_clerk(actor: User, desk: Agency | None) -> Agency:
    """The one-stop desk where ``actor`` receives today: ``desk`` if they are its clerk, else their
    only desk. Their roles come from ``dossiers.permissions`` (read once per request block)."""
    held = [agency_id for agency_id, roles in roles_by_agency(actor).items() if Role.CLERK in roles]
    if desk is not None:
        if desk.pk not in held or not desk.is_receiving_point:
            raise TransitionNotAllowed(
                _("Bạn không phải cán bộ tiếp nhận của %(desk)s.") % {"desk": desk.name}
            )
        return desk
    # The slips the desk issues name its parent agency.
    found = list(Agency.objects.filter(pk__in=held, is_receiving_point=True).select_related("parent")[:2])
    if not found:
        raise TransitionNotAllowed(
            _("Chỉ cán bộ tiếp nhận của bộ phận một cửa được tiếp nhận hồ sơ trực tiếp.")
        )
    if len(found) > 1:
        raise DossierInvalid(_("Bạn làm việc tại nhiều bộ phận một cửa: hãy chọn nơi tiếp nhận."))
    return found[0]


def dossier_counter_create(
    *,
    actor: User,
    procedure_version: ProcedureVersion,
    applicant: ApplicantData,
    commune: Agency | None = None,
    desk: Agency | None = None,
    channel: str = Channel.COUNTER,
    sets: int = 1,
    notes: str = "",
    now: dt.datetime | None = None,
) -> Dossier:
    """A clerk opens a dossier brought to the counter (or by post) at their own desk — any desk
    may receive for any competent agency (Decree 118/2025). It is received with
    ``dossier_receive`` once every component has been scanned."""
    at = current_instant(now)
    day = local_day(at)
    if channel not in {Channel.COUNTER, Channel.POST}:
        raise DossierInvalid(_("Hình thức nộp phải là trực tiếp hoặc qua bưu chính."))
    receiving = _desk_for_clerk(actor, desk)
    _require_in_force(procedure_version, day)
    competent = competent_agency_for(version=procedure_version, commune=commune, day=day)
    if sets < 1:
        raise DossierInvalid(_("Số bộ hồ sơ phải từ 1 trở lên."))
    snapshot = _snapshot(applicant)
    return _insert(
        Dossier(
            procedure_version=procedure_version,
            channel=channel,
            applicant=_citizen_by_national_id(snapshot["applicant_national_id"]),
            submitted_by=actor,
            receiving_agency=receiving,
            competent_agency=competent,
            sets=sets,
            notes=notes,
            **snapshot,
        )
    )


def _insert(dossier: Dossier) -> Dossier:
    """Write a new dossier with the text the back office finds it by."""
    dossier.search_text = search_text_of(dossier)
    dossier.save(force_insert=True)
    return dossier


def dossier_draft_update(
    *,
    dossier: Dossier,
    actor: User,
    commune: Agency | None = _UNSET,
    applicant: ApplicantData | None = None,
    notes: str | None = None,
    sets: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Change a dossier that has not been submitted or received yet (its author only)."""
    at = current_instant(now)
    if dossier.status != Status.DRAFT:
        raise TransitionNotAllowed(_("Chỉ sửa được hồ sơ chưa nộp."))
    kinds = actor_kinds(actor, dossier)
    is_author = dossier.submitted_by_id == actor.pk or ActorKind.APPLICANT in kinds
    if not is_author and ActorKind.DESK_CLERK not in kinds:
        raise TransitionNotAllowed(_("Bạn không có quyền sửa hồ sơ này."))
    fields: list[str] = []
    if commune is not _UNSET:
        dossier.competent_agency = competent_agency_for(
            version=dossier.procedure_version, commune=commune, day=local_day(at)
        )
        fields.append("competent_agency")
    if applicant is not None:
        if dossier.channel == Channel.ONLINE and actor.kind == User.Kind.CITIZEN:
            snapshot = _citizen_snapshot(actor, applicant)
        else:
            snapshot = _snapshot(applicant)
        for name, value in snapshot.items():
            setattr(dossier, name, value)
        fields.extend(snapshot)
        dossier.search_text = search_text_of(dossier)
        fields.append("search_text")
    if notes is not None:
        dossier.notes = notes
        fields.append("notes")
    if sets is not None:
        if sets < 1:
            raise DossierInvalid(_("Số bộ hồ sơ phải từ 1 trở lên."))
        dossier.sets = sets
        fields.append("sets")
    if fields:
        # A draft is edited by its author only; the row lock keeps a concurrent submit out.
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().filter(pk=dossier.pk, status=Status.DRAFT)
            if not locked.exists():
                raise ConcurrentUpdate(_("Hồ sơ vừa được người khác cập nhật, vui lòng tải lại."))
            dossier.save(update_fields=fields)
    return dossier


# --- files ------------------------------------------------------------------------------


def _attach_origin(kinds: frozenset[ActorKind], origin: str | None) -> str:
    staff = ActorKind.DESK_CLERK in kinds or ActorKind.STEP_HOLDER in kinds or ActorKind.LEADER in kinds
    default = ComponentOrigin.DIGITISED if staff else ComponentOrigin.UPLOADED
    if origin is None:
        return default
    if origin == ComponentOrigin.REUSED:
        return origin
    if origin != default:
        raise DossierInvalid(_("Nguồn của tệp không phù hợp với người đính kèm."))
    return origin


def _may_attach(dossier: Dossier, kind: str, kinds: frozenset[ActorKind]) -> bool:
    applicant = bool({ActorKind.APPLICANT, ActorKind.INTEGRATION} & kinds)
    clerk = ActorKind.DESK_CLERK in kinds
    handler = bool({ActorKind.STEP_HOLDER, ActorKind.LEADER} & kinds)
    status = dossier.status
    if kind == DossierFile.Kind.COMPONENT:
        if dossier.channel == Channel.ONLINE:
            return applicant and status == Status.DRAFT
        return clerk and status in {Status.DRAFT, Status.SUBMITTED}
    if kind == DossierFile.Kind.SUPPLEMENT:
        return (applicant or clerk) and status == Status.SUPPLEMENT_REQUESTED
    if kind == DossierFile.Kind.RESULT:
        return handler and status == Status.PROCESSING
    if kind == DossierFile.Kind.WORKING:
        if ActorKind.TASK_HOLDER in kinds and status == Status.PROCESSING:
            # A participating agency's answer to its running liên thông task (a tax notice, an
            # opinion letter) goes back with its result.
            return True
        return (handler or clerk) and status in {Status.RECEIVED, Status.PROCESSING, Status.AWAITING_PAYMENT}
    return False


def dossier_file_attach(
    *,
    dossier: Dossier,
    actor: User,
    upload: File[Any],
    kind: str = DossierFile.Kind.COMPONENT,
    requirement: ComponentRequirement | None = None,
    origin: str | None = None,
    replaces: DossierFile | None = None,
) -> DossierFile:
    """Attach ``upload`` to ``dossier`` after checking its real type, size and name.

    Components go to a draft (by the applicant online, by the clerk for a counter dossier, who
    digitises the paper); supplements while a supplement is requested; working files and
    results while the dossier is being processed. Nothing is stored when a check fails.
    """
    if kind not in DossierFile.Kind.values:
        raise DossierInvalid(_("Loại tệp không hợp lệ."))
    kinds = actor_kinds(actor, dossier)
    if not _may_attach(dossier, kind, kinds):
        raise TransitionNotAllowed(_("Không thể đính kèm tệp vào hồ sơ ở trạng thái này."))
    if requirement is not None and requirement.version_id != dossier.procedure_version_id:
        message = _("Giấy tờ này không thuộc thành phần hồ sơ của thủ tục.")
        raise DossierInvalid(message, field_errors={"requirement": [message]})
    if requirement is not None and requirement.paper_only and dossier.channel == Channel.ONLINE:
        raise DossierInvalid(_("Giấy tờ «%(name)s» chỉ nộp bản giấy.") % {"name": requirement.name})
    if replaces is not None and (replaces.dossier_id != dossier.pk or replaces.replaced_by.exists()):
        raise DossierInvalid(_("Tệp được thay thế không thuộc hồ sơ này hoặc đã được thay thế."))
    checked = check_upload(upload, requirement=requirement)
    record = DossierFile(
        dossier=dossier,
        kind=kind,
        requirement=requirement,
        origin=_attach_origin(kinds, origin),
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        replaces=replaces,
        uploaded_by=actor,
    )
    upload.seek(0)
    record.file.save(checked.storage_name, upload, save=False)
    try:
        with transaction.atomic():
            record.save()
            # A PDF's signatures are checked in the background (signing.tasks); queued with the file.
            verification_enqueue(dossier_file=record)
    except Exception:
        record.file.storage.delete(record.file.name)
        raise
    return record


def missing_components(dossier: Dossier, *, include_paper_only: bool) -> list[ComponentRequirement]:
    """Mandatory components of the version without a file in force (component or supplement),
    in one query."""
    attached = DossierFile.objects.filter(
        dossier_id=dossier.pk,
        kind__in=[DossierFile.Kind.COMPONENT, DossierFile.Kind.SUPPLEMENT],
        replaced_by__isnull=True,
        requirement__isnull=False,
    ).values("requirement_id")
    if Dossier.procedure_version.is_cached(dossier):
        # The published components are kept per process (``catalog.published``): one query.
        wanted_rows = [
            item
            for item in version_components(dossier.procedure_version)
            if item.is_mandatory and (include_paper_only or not item.paper_only)
        ]
        if not wanted_rows:
            return []
        have = set(attached.values_list("requirement_id", flat=True))
        return [item for item in wanted_rows if item.pk not in have]
    wanted = ComponentRequirement.objects.filter(version_id=dossier.procedure_version_id, is_mandatory=True)
    if not include_paper_only:
        wanted = wanted.filter(paper_only=False)
    return list(wanted.exclude(pk__in=attached).order_by("order", "id"))


def missing_message(missing: list[ComponentRequirement], lead: str) -> DossierInvalid:
    names = "; ".join(item.name for item in missing)
    message = _("%(lead)s còn thiếu thành phần bắt buộc: %(names)s.") % {"lead": lead, "names": names}
    return DossierInvalid(
        message,
        code="missing_components",
        field_errors={f"requirement_{item.pk}": [item.name] for item in missing},
    )


def dossier_submit(
    *,
    dossier: Dossier,
    actor: User,
    idempotency_key: str | None = None,
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Submit an online draft. Repeating it with the same ``idempotency_key`` (a double click,
    a retried request) returns the dossier already submitted; nothing is written twice."""
    at = current_instant(now)
    key = _check_key(idempotency_key)
    if key is not None:
        previous = Dossier.objects.filter(submitted_by=dossier.submitted_by_id, idempotency_key=key).first()
        if previous is not None and previous.status != Status.DRAFT:
            return previous
    if dossier.channel != Channel.ONLINE:
        raise TransitionNotAllowed(_("Hồ sơ nộp trực tiếp được tiếp nhận tại quầy, không nộp trực tuyến."))
    check_transition(dossier=dossier, action=Action.SUBMIT, actor=actor)
    version = dossier.procedure_version
    day = local_day(at)
    _require_in_force(version, day)
    if not version.is_online:
        raise DossierInvalid(_("Thủ tục này chưa cung cấp dịch vụ công trực tuyến."))
    if not dossier.competent_agency.is_active_on(day):
        raise DossierInvalid(_("Cơ quan giải quyết đã chọn không còn hoạt động; vui lòng chọn lại."))
    missing = missing_components(dossier, include_paper_only=False)
    if missing:
        raise missing_message(missing, _("Hồ sơ"))
    desk = online_receiving_desk(competent_agency=dossier.competent_agency, version=version, day=day)
    updates: dict[str, Any] = {"submitted_at": at, "receiving_agency": desk}
    if key is not None and dossier.idempotency_key != key:
        updates["idempotency_key"] = key
    try:
        with transaction.atomic():
            return transition(
                dossier=dossier,
                action=Action.SUBMIT,
                actor=actor,
                expected_lock_version=expected_lock_version,
                updates=updates,
                data={"receiving_agency": desk.name},
                now=at,
            )
    except (ConcurrentUpdate, IntegrityError):
        if key is None:
            raise
        # The same submission won the race (a double click): hand back what it wrote.
        found = (
            Dossier.objects.filter(submitted_by=dossier.submitted_by_id, idempotency_key=key)
            .exclude(status=Status.DRAFT)
            .first()
        )
        if found is None:
            raise
        return found
