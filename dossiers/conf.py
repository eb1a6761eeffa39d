"""The dossier engine's settings, read from ``django.conf.settings`` on every use.

They are read at call time (not frozen at import) so that ``override_settings`` and a
reloaded configuration take effect. Each has a default that follows the law.

``CONGSO_UPLOAD_MAX_BYTES``
    Largest file a person may attach (default 10 MB).
``CONGSO_SUPPLEMENT_AFTER_APPRAISAL_DAYS``
    ``{sector code: working days}``: how long after reception the competent agency may still
    ask for a supplement after appraisal (Decree 61/2018 Art. 19.4: 3 working days "unless
    sector law says otherwise"). Sectors not listed use
    ``CONGSO_SUPPLEMENT_AFTER_APPRAISAL_DEFAULT_DAYS`` (default 3).
``CONGSO_APOLOGY_LEAD_WORKING_DAYS``
    An apology (Mẫu 04) must be issued at the latest this many working days before the due
    time (Art. 19.9: "chậm nhất 01 ngày trước ngày hết hạn"; default 1).
``CONGSO_DOSSIER_CODE_FORMAT``
    ``"qcvn102"`` (``000.00.31.H40-250424-0001``, Circular 01/2018 Art. 19; the default) or
    ``"decision20"`` (``H40.31-250424-0001``), or a format added with
    ``dossiers.codes.register_code_format``.
``CONGSO_TRANSFER_GRACE_MINUTES``
    A dossier received after the afternoon cut-off (15:00) is transferred "at the start of the
    next working day" (Art. 18); a transfer within this many working minutes of that start is on
    time (default 60).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings

DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_SUPPLEMENT_DAYS = 3
DEFAULT_APOLOGY_LEAD_DAYS = 1
DEFAULT_CODE_FORMAT = "qcvn102"
DEFAULT_TRANSFER_GRACE_MINUTES = 60


def upload_max_bytes() -> int:
    return int(getattr(settings, "CONGSO_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


def supplement_window_days(sector_code: str) -> int:
    """Working days after reception within which a supplement may follow appraisal."""
    per_sector: Mapping[str, int] = getattr(settings, "CONGSO_SUPPLEMENT_AFTER_APPRAISAL_DAYS", {})
    default = int(
        getattr(settings, "CONGSO_SUPPLEMENT_AFTER_APPRAISAL_DEFAULT_DAYS", DEFAULT_SUPPLEMENT_DAYS)
    )
    return int(per_sector.get(sector_code, default))


def apology_lead_days() -> int:
    return int(getattr(settings, "CONGSO_APOLOGY_LEAD_WORKING_DAYS", DEFAULT_APOLOGY_LEAD_DAYS))


def dossier_code_format() -> str:
    return str(getattr(settings, "CONGSO_DOSSIER_CODE_FORMAT", DEFAULT_CODE_FORMAT))


def transfer_grace_minutes() -> int:
    return int(getattr(settings, "CONGSO_TRANSFER_GRACE_MINUTES", DEFAULT_TRANSFER_GRACE_MINUTES))
