"""Issuing the slips of the one-stop desk and rendering them as PDF.

``slip_issue`` is called by the dossier services inside their transaction: it numbers the
slip, freezes its content and its searchable text, and leaves the PDF to a job that runs
after the commit (the issuing request stays fast). ``slip_pdf_bytes`` renders on demand a
slip whose PDF is not there yet.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from agencies.models import Agency
from congso import jobs
from dossiers.models import Dossier, Slip
from dossiers.slips.content import build_content, content_text
from dossiers.slips.forms import current_form_set_key, form_spec, format_number, number_symbol
from dossiers.slips.numbering import allocate_slip_number
from dossiers.slips.render import render_pdf, slip_context
from signing.issued import issued_pdf_sign, slip_reference

logger = logging.getLogger(__name__)

RENDER_JOB = "dossiers.slips.tasks.render_slip_pdf"
SLIP_LANGUAGE = "vi"  # a legal slip is printed in Vietnamese whatever the reader's language


def _issuer(dossier: Dossier, form: str, given: dict[str, Any]) -> Agency:
    # The apology and a refusal after appraisal (stored as the result) are the competent
    # agency's own letters; the desk issues the other slips.
    if form == Slip.Form.APOLOGY or (form == Slip.Form.REFUSAL and given.get("result_section")):
        return dossier.competent_agency
    if dossier.receiving_agency is None:
        raise ValueError(f"dossier {dossier.pk} has no receiving agency to issue form {form}")
    return dossier.receiving_agency


def slip_issue(
    *,
    dossier: Dossier,
    form: str,
    actor: User | None,
    content: dict[str, Any] | None = None,
    agency: Agency | None = None,
    now: dt.datetime | None = None,
) -> Slip:
    """Issue form ``form`` (``Slip.Form``) for ``dossier``: numbered per issuing agency, form
    and year from 01, its content taken from the dossier with ``content`` laid over it.

    ``agency`` is the issuing agency (default: the receiving desk; for the apology and for a
    refusal after appraisal, ``content={"result_section": True, ...}``, the competent agency).
    Raises ``DossierInvalid`` (Vietnamese message) when a legal field is missing: the reason
    of 02/03/04, the items of 02, the dates of 01 and 04.
    """
    now = now or timezone.now()
    spec = form_spec(form)
    issuer = agency or _issuer(dossier, form, content or {})
    with translation.override(SLIP_LANGUAGE):  # a missing legal field is refused before any write
        data = build_content(dossier=dossier, spec=spec, agency=issuer, actor=actor, given=content or {})
    # Part of the caller's change when inside one (no savepoint of its own: only a database
    # failure can happen below, and it must undo the caller's change too).
    with transaction.atomic(savepoint=False):
        with translation.override(SLIP_LANGUAGE):
            value = allocate_slip_number(agency=issuer, form=spec.form, year=timezone.localtime(now).year)
            number = format_number(value, number_symbol(spec))
            data["form_set"] = current_form_set_key()
            slip = Slip.objects.create(
                dossier=dossier,
                form=spec.form,
                number=number,
                issued_at=now,
                issued_by=actor,
                agency=issuer,
                content=data,
                text=content_text(number=number, content=data),
            )
        _schedule_render(slip.pk)
    return slip


def slip_control_refresh(*, slip: Slip) -> Slip:
    """Bring a Mẫu 05 up to date with the hand-overs made since it was issued (same number).

    The control slip travels with the dossier: each hand-over adds a row. The stored PDF is
    dropped and rendered again after the commit.
    """
    if slip.form != Slip.Form.CONTROL:
        raise ValueError("only a control slip (Mẫu 05) follows the dossier's hand-overs")
    spec = form_spec(slip.form, form_set=slip.content.get("form_set"))
    with transaction.atomic(), translation.override(SLIP_LANGUAGE):
        rows = Slip.objects.select_for_update(of=("self",)).select_related("dossier", "agency", "issued_by")
        locked = rows.get(pk=slip.pk)
        fresh = build_content(
            dossier=locked.dossier, spec=spec, agency=locked.agency, actor=locked.issued_by, given={}
        )
        content = {**locked.content, "handovers": fresh["handovers"], "dossier": fresh["dossier"]}
        Slip.objects.filter(pk=locked.pk).update(
            content=content, text=content_text(number=locked.number, content=content), pdf=""
        )
        if locked.pdf:
            storage, stale = locked.pdf.storage, locked.pdf.name
            transaction.on_commit(lambda: storage.delete(stale), robust=True)
        _schedule_render(locked.pk)
    locked.refresh_from_db()
    return locked


def _schedule_render(slip_id: int) -> None:
    """Ask for the PDF once the caller's transaction commits.

    Through the job layer when it is installed (its row is written in this transaction, so
    the job exists exactly when the slip does); otherwise rendered in this process right after
    the commit. Either way a failure leaves the slip without PDF, and a download renders it.
    """
    if apps.is_installed("jobs"):
        jobs.enqueue(RENDER_JOB, slip_id=slip_id)
    else:
        transaction.on_commit(lambda: _render_committed(slip_id), robust=True)


def _render_committed(slip_id: int) -> None:
    slip = Slip.objects.filter(pk=slip_id).first()
    if slip is not None:
        slip_pdf(slip)


def _file_name(slip: Slip) -> str:
    code = slip.content.get("dossier", {}).get("code") or slip.content.get("dossier", {}).get("reference", "")
    stem = re.sub(r"[^A-Za-z0-9.-]+", "-", f"mau{slip.form}-{slip.number}-{code}").strip("-")
    return f"{stem}.pdf"


def slip_render(slip: Slip) -> bytes:
    """The PDF of ``slip`` from its frozen content (nothing stored)."""
    spec = form_spec(slip.form, form_set=slip.content.get("form_set"))
    with translation.override(SLIP_LANGUAGE):
        context = slip_context(
            spec=spec, number=slip.number, issued_at=slip.issued_at.isoformat(), content=slip.content
        )
        return render_pdf(template=spec.template, paper=spec.paper, context=context)


def slip_pdf(slip: Slip) -> bytes:
    """Render ``slip`` and store the file in ``Slip.pdf``; returns the PDF (digitally signed by
    the issuing officer and agency when their certificates allow it: ``signing.issued``)."""
    pdf = slip_sign(slip, slip_render(slip))
    old = slip.pdf.name if slip.pdf else ""
    slip.pdf.save(_file_name(slip), ContentFile(pdf), save=False)
    Slip.objects.filter(pk=slip.pk).update(pdf=slip.pdf.name)
    if old and old != slip.pdf.name:
        slip.pdf.storage.delete(old)
    return pdf


def slip_sign(slip: Slip, pdf: bytes) -> bytes:
    """``pdf`` signed as ``signing.issued`` decides (unchanged when it cannot be signed)."""
    dossier_reference = Dossier.objects.filter(pk=slip.dossier_id).values_list("reference", flat=True).get()
    with translation.override(SLIP_LANGUAGE):
        reason = str(slip.get_form_display())
    return issued_pdf_sign(
        pdf=pdf,
        person=slip.issued_by,
        agency=slip.agency,
        reference=slip_reference(dossier_reference=dossier_reference, slip_id=slip.pk),
        reason=reason,
    )


def slip_pdf_bytes(slip: Slip) -> bytes:
    """The stored PDF of ``slip``, rendered now when the job has not stored it yet."""
    if slip.pdf:
        try:
            with slip.pdf.open("rb") as handle:
                stored: bytes = handle.read()
            return stored
        except FileNotFoundError:
            logger.warning("slip %s: stored PDF %s is missing, rendering again", slip.pk, slip.pdf.name)
    return slip_pdf(slip)
