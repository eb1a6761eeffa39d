"""What the project's access matrix (tests/test_access_matrix.py) needs from the operations
centre: a computed indicator, the ``agency`` persona's commune as a unit, and a finished export
asked for by the ``admin`` persona."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from indicators.models import Aggregation, ExportJob, Indicator, Periodicity, Source, Unit


def _indicator(world: Any) -> Indicator:
    cached = getattr(world.request, "_ioc_indicator", None)
    if cached is None:
        cached = Indicator.objects.create(
            code="DVC-02",
            name="Tỷ lệ hồ sơ tiếp nhận trực tuyến",
            unit=Unit.PERCENT,
            source=Source.COMPUTED,
            computation="dossiers_online_rate",
            periodicity=Periodicity.MONTH,
            aggregation=Aggregation.RATIO,
        )
        world.request._ioc_indicator = cached
    return cached


def indicator_kwargs(world: Any) -> dict[str, str]:
    return {"code": _indicator(world).code}


def unit_kwargs(world: Any) -> dict[str, int]:
    return {"pk": world.persona("agency").pk}


def export_kwargs(world: Any) -> dict[str, int]:
    cached = getattr(world.request, "_ioc_export", None)
    if cached is None:
        cached = ExportJob.objects.create(
            kind="dossiers",
            params={},
            state=ExportJob.State.DONE,
            total=0,
            requested_by=world.persona("admin"),
        )
        cached.file.save("ho-so.xlsx", ContentFile(b"PK"), save=True)
        world.request._ioc_export = cached
    return {"pk": cached.pk}
