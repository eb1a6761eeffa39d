"""The legal slips of the one-stop desk (Circular 01/2018/TT-VPCP, Mẫu 01–06) as PDF.

The entry points, re-exported here:

* ``slip_issue`` numbers and freezes a slip inside the caller's transaction (no PDF);
* ``slip_pdf`` renders and stores a slip's PDF, ``slip_pdf_bytes`` returns it (rendering it
  when the job has not yet); ``slip_control_refresh`` adds new hand-overs to a Mẫu 05;
* ``tracking_book_rows``, ``tracking_book_pdf``, ``tracking_book_xlsx``: Mẫu 06.

Module map: ``forms`` (the form sets as data), ``numbering`` (the yearly numbers),
``content`` (what a slip says), ``decree30`` (the wording Decree 30/2020 fixes), ``render``
(WeasyPrint), ``services``, ``book`` (Mẫu 06), ``tasks`` (the rendering job).
"""

from dossiers.slips.book import tracking_book_pdf, tracking_book_rows, tracking_book_xlsx
from dossiers.slips.services import slip_control_refresh, slip_issue, slip_pdf, slip_pdf_bytes

__all__ = [
    "slip_control_refresh",
    "slip_issue",
    "slip_pdf",
    "slip_pdf_bytes",
    "tracking_book_pdf",
    "tracking_book_rows",
    "tracking_book_xlsx",
]
