"""What the access matrix (tests/test_access_matrix.py) needs from the indicators API: a published
indicator whose figures anyone may read."""

from __future__ import annotations

from typing import Any

from indicators.models import Aggregation, Indicator, Periodicity, Source, Unit


def published_indicator_kwargs(world: Any) -> dict[str, str]:
    indicator, _created = Indicator.objects.get_or_create(
        code="API-HT-01",
        defaults={
            "name": "Tỷ lệ hộ gia đình có kết nối internet băng rộng cáp quang",
            "unit": Unit.PERCENT,
            "source": Source.REPORTED,
            "periodicity": Periodicity.QUARTER,
            "aggregation": Aggregation.RATIO,
            "published": True,
        },
    )
    return {"code": indicator.code}
