"""Background jobs of payments (thin: they call selectors and services)."""

from __future__ import annotations

import datetime as dt
import logging

from congso import jobs
from payments.selectors import reconciliation

logger = logging.getLogger(__name__)


@jobs.periodic(every=dt.timedelta(hours=1))
def payments_reconcile_hourly() -> None:
    """Log (WARNING, for the operators' alerting) what the gateway and congso disagree on; the
    same report as ``manage.py payments_reconcile``."""
    report = reconciliation()
    if report.clean:
        return
    logger.warning(
        "payments reconciliation: %d confirmed by the gateway but not paid here %s; "
        "%d pending too long %s; %d paid dossiers still awaiting payment %s",
        len(report.unrecorded),
        [row.txn_ref for row in report.unrecorded],
        len(report.stale_pending),
        [payment.txn_ref for payment in report.stale_pending],
        len(report.paid_but_awaiting),
        [dossier.code or dossier.reference for dossier in report.paid_but_awaiting],
    )
