"""Background work on slips: thin, load by id and call the service."""

from __future__ import annotations

from congso import jobs
from dossiers.models import Slip
from dossiers.slips.services import slip_pdf


@jobs.job(max_attempts=3)
def render_slip_pdf(*, slip_id: int) -> None:
    """Render and store the PDF of a slip just issued (a slip deleted since is ignored)."""
    slip = Slip.objects.filter(pk=slip_id).first()
    if slip is not None:
        slip_pdf(slip)
