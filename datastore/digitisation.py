"""The digitisation counters: how many dossiers an agency received with their components digitised
or reused, and resolved with an electronic result (Decision 766/QĐ-TTg group MDSH; the counters a
provincial system keeps for its digitisation report: tiepNhan, chuaSoHoaTPHS, coSoHoaTPHS,
coTaiSuDungTPHS, coTaiSuDungTPHSTuDvcQg, daGiaiQuyet, daGiaiQuyetChuaSoHoa, daGiaiQuyetDaSoHoa).

The per-dossier definitions are written once, here, as SQL expressions over a ``Dossier`` queryset
(:func:`digitisation_flags`), so that the counters below and the indicators' fact tables count
the same thing::

    Dossier.objects.annotate(**digitisation_flags()).filter(components_digitised=True)

``components_digitised``
    Every mandatory component the dossier's procedure version requires has a file (a component
    or a supplement) — whatever its origin: an online upload is an electronic original, a desk
    scan is digitised, a reused document is reused. A version with no mandatory component counts
    as digitised.
``components_reused``
    At least one component (or supplement) file has origin "reused" (from the data store).
``reused_from_dvcqg``
    At least one of those reused files came from a document the store received from the national
    portal (DVCQG).
``result_digitised``
    The dossier has been resolved (``resolved_at`` set: resolved or returned) and has a result file.

A dossier counts as *received* in a period by ``received_at`` and as *resolved* by
``resolved_at``; it belongs to its competent agency (the agency that decides).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from catalog.models import ComponentRequirement
from datastore.models import DocumentReuse, DocumentSource
from dossiers.models import ComponentOrigin, Dossier, DossierFile
from workcalendar.clock import TZ

COMPONENT_KINDS = (DossierFile.Kind.COMPONENT, DossierFile.Kind.SUPPLEMENT)


def digitisation_flags() -> dict[str, Any]:
    """The four per-dossier definitions (see the module docstring) as boolean expressions, to
    ``annotate()`` a ``Dossier`` queryset with or to filter it by. SQL only: no row is loaded."""
    has_file = DossierFile.objects.filter(
        dossier_id=OuterRef(OuterRef("pk")), requirement_id=OuterRef("pk"), kind__in=COMPONENT_KINDS
    )
    missing = ComponentRequirement.objects.filter(
        version_id=OuterRef("procedure_version_id"), is_mandatory=True
    ).filter(~Exists(has_file))
    reused = DossierFile.objects.filter(
        dossier_id=OuterRef("pk"), kind__in=COMPONENT_KINDS, origin=ComponentOrigin.REUSED
    )
    from_dvcqg = DocumentReuse.objects.filter(
        dossier_file__dossier_id=OuterRef("pk"),
        dossier_file__kind__in=COMPONENT_KINDS,
        document__source=DocumentSource.DVCQG,
    )
    result = DossierFile.objects.filter(dossier_id=OuterRef("pk"), kind=DossierFile.Kind.RESULT)
    return {
        "components_digitised": ~Exists(missing),
        "components_reused": Exists(reused),
        "reused_from_dvcqg": Exists(from_dvcqg),
        "result_digitised": ExpressionWrapper(
            Q(resolved_at__isnull=False) & Exists(result), output_field=BooleanField()
        ),
    }


COUNTERS: tuple[tuple[str, Any], ...] = (
    ("tiepNhan", _("Tiếp nhận")),
    ("chuaSoHoaTPHS", _("Tiếp nhận, chưa số hóa đủ thành phần hồ sơ")),
    ("coSoHoaTPHS", _("Tiếp nhận, đã số hóa đủ thành phần hồ sơ")),
    ("coTaiSuDungTPHS", _("Có tái sử dụng thành phần hồ sơ đã số hóa")),
    ("coTaiSuDungTPHSTuDvcQg", _("Có tái sử dụng thành phần hồ sơ từ Cổng DVC quốc gia")),
    ("daGiaiQuyet", _("Đã giải quyết")),
    ("daGiaiQuyetChuaSoHoa", _("Đã giải quyết, kết quả chưa số hóa")),
    ("daGiaiQuyetDaSoHoa", _("Đã giải quyết, kết quả đã số hóa")),
)
"""The counters in the order of the report, named as the provincial systems' API names them."""

COUNTER_KEYS = tuple(key for key, _label in COUNTERS)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of ``start`` to the end of ``end``, Vietnam time."""
    low = dt.datetime.combine(start, dt.time.min, tzinfo=TZ)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=TZ)
    return low, high


def _aggregates(start: dt.date, end: dt.date) -> dict[str, Count]:
    low, high = _bounds(start, end)
    flags = digitisation_flags()
    received = Q(received_at__gte=low, received_at__lt=high)
    resolved = Q(resolved_at__gte=low, resolved_at__lt=high)
    return {
        "tiepNhan": Count("pk", filter=received),
        "chuaSoHoaTPHS": Count("pk", filter=received & ~Q(flags["components_digitised"])),
        "coSoHoaTPHS": Count("pk", filter=received & Q(flags["components_digitised"])),
        "coTaiSuDungTPHS": Count("pk", filter=received & Q(flags["components_reused"])),
        "coTaiSuDungTPHSTuDvcQg": Count("pk", filter=received & Q(flags["reused_from_dvcqg"])),
        "daGiaiQuyet": Count("pk", filter=resolved),
        "daGiaiQuyetChuaSoHoa": Count("pk", filter=resolved & ~Q(flags["result_digitised"])),
        "daGiaiQuyetDaSoHoa": Count("pk", filter=resolved & Q(flags["result_digitised"])),
    }


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class CounterRow:
    """The counters of one agency (``agency`` None: the total)."""

    agency: Agency | None
    values: dict[str, int]

    def __getitem__(self, key: str) -> int:
        return self.values[key]

    @property
    def in_order(self) -> list[int]:
        return [self.values[key] for key in COUNTER_KEYS]

    @property
    def digitised_rate(self) -> float | None:
        """Received dossiers whose components are digitised, in %."""
        return _rate(self.values["coSoHoaTPHS"], self.values["tiepNhan"])

    @property
    def reuse_rate(self) -> float | None:
        """Received dossiers reusing digitised components, in %."""
        return _rate(self.values["coTaiSuDungTPHS"], self.values["tiepNhan"])

    @property
    def result_rate(self) -> float | None:
        """Resolved dossiers with an electronic result, in %."""
        return _rate(self.values["daGiaiQuyetDaSoHoa"], self.values["daGiaiQuyet"])


@dataclass(frozen=True)
class CounterReport:
    start: dt.date
    end: dt.date
    agency: Agency | None
    rows: list[CounterRow] = field(default_factory=list)
    total: CounterRow = field(default_factory=lambda: CounterRow(None, dict.fromkeys(COUNTER_KEYS, 0)))


def digitisation_counters(
    *, dossiers: QuerySet[Dossier], start: dt.date, end: dt.date, agency: Agency | None = None
) -> CounterReport:
    """The counters of ``dossiers`` (already restricted to what the person may see) for the days
    ``start``–``end``, one row per competent agency with something to count, and their total; for
    one ``agency`` when given. One query."""
    low, high = _bounds(start, end)
    scope = dossiers.filter(
        Q(received_at__gte=low, received_at__lt=high) | Q(resolved_at__gte=low, resolved_at__lt=high)
    )
    if agency is not None:
        scope = scope.filter(competent_agency=agency)
    grouped = scope.order_by().values("competent_agency_id").annotate(**_aggregates(start, end))
    found = {row["competent_agency_id"]: {key: int(row[key]) for key in COUNTER_KEYS} for row in grouped}
    agencies = Agency.objects.in_bulk(list(found))
    rows = sorted(
        (CounterRow(agencies[pk], values) for pk, values in found.items()),
        key=lambda row: row.agency.name if row.agency else "",
    )
    total = CounterRow(None, {key: sum(row.values[key] for row in rows) for key in COUNTER_KEYS})
    return CounterReport(start=start, end=end, agency=agency, rows=rows, total=total)


def counter_agencies(dossiers: QuerySet[Dossier]) -> QuerySet[Agency]:
    """The competent agencies of ``dossiers`` (what the agency filter offers)."""
    return Agency.objects.filter(pk__in=dossiers.order_by().values("competent_agency_id")).order_by("name")
