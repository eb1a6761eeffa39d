"""The background job of the operations centre's exports (thin: it loads by id and calls
``indicators.exports``). Kept apart from ``indicators/tasks.py`` (the facts refresh) so the two
are written independently; ``congso.jobs.resolve`` imports it by its dotted path."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from congso import jobs
from indicators.exports import export_fail, export_run
from indicators.models import ExportJob

logger = logging.getLogger(__name__)


@jobs.job(max_attempts=2, backoff_seconds=10, lease_seconds=1800)
def export_dossiers(*, export_id: int) -> None:
    job = ExportJob.objects.filter(pk=export_id).first()
    if job is None or job.state == ExportJob.State.DONE:
        return
    try:
        export_run(job=job)
    except Exception:
        logger.exception("export %s failed", export_id)
        export_fail(job=job, error=_("Không xuất được tệp do lỗi hệ thống; hãy thử lại hoặc báo quản trị."))
        raise
